package io.tributary.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainHelper;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.util.OrderedLocationProperties;

/**
 * Where a setting comes from, lowest first: the built-in default (Camel's own, or the
 * {@code {{key:default}}} in a file), the packaged {@code application.properties}, the working
 * directory's {@code application.properties}, an environment variable, a {@code -D} system property.
 *
 * <p>Camel alone does not give this order: of several property files the first listed wins; its
 * auto-configuration skips every environment variable ending in {@code _PORT} (it takes them for
 * Kubernetes service links), so {@code CAMEL_SERVER_PORT} reached placeholders but not the server;
 * and placeholders prefer an environment variable to {@code -D}. So the working directory's file is
 * listed first, and every key either file sets is looked up in the environment under its variable
 * name ({@link #variableName}) and, unless {@code -D} sets it too, handed to Camel as an override
 * property. Environment variables for keys no file sets stay a fallback above the built-in default.
 *
 * <p>Camel also reads {@code CAMEL_CONTEXT_*}, {@code CAMEL_BEANS_*}, {@code CAMEL_SERVER_*} and the other
 * groups of {@code camel.*} keys from the environment itself, as lower-case keys: {@code
 * CAMEL_BEANS_CENTRALDB_JDBCURL} became {@code camel.beans.centraldb.jdbcurl}, a bean {@code centraldb}
 * that does not exist, and the node did not start. So {@link LayeredMain} keeps Camel from reading
 * those groups, and the variables that name no file key are handed over here instead, with Camel's own
 * mapping ({@link #camelGroupOverrides}).
 */
public final class ConfigurationLayers {

    private static final String BEANS = "camel.beans.";

    /** Prefixes whose variables Camel Main still maps itself, in steps {@link LayeredMain} leaves alone. */
    private static final Set<String> CAMEL_READS_ITSELF = Set.of("camel.main.", "camel.component.", "camel.dataformat.",
            "camel.language.", "camel.startupcondition.");

    public static final String FILE_NAME = "application.properties";

    /** The working directory's file first: of Camel's property locations the first that has a key wins. */
    public static final String LOCATIONS = "file:" + FILE_NAME + ";optional=true,classpath:" + FILE_NAME + ";optional=true";

    private ConfigurationLayers() {
    }

    /** {@code camel.server.port} → {@code CAMEL_SERVER_PORT}, as Camel itself maps placeholders to variables. */
    public static String variableName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The keys the files set whose variable is in {@code env} and that no system property sets. */
    static Map<String, String> environmentOverrides(Properties files, Map<String, String> env, Properties system) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String key : files.stringPropertyNames()) {
            String value = env.get(variableName(key));
            if (value != null && system.getProperty(key) == null) {
                overrides.put(key, value);
            }
        }
        return overrides;
    }

    /**
     * Camel's own reading of the {@code camel.*} groups ({@code mapped}: {@link MainHelper#loadEnvironmentVariablesAsProperties})
     * without the variables that name a file key, which {@link #environmentOverrides} sets exactly, and
     * without {@code camel.main.*}, components, data formats and languages, which Camel still reads
     * itself. A bean the files declare keeps the files' spelling of its name (bean properties bind
     * whatever their case): {@code CAMEL_BEANS_CENTRALDB_CONNECTIONTIMEOUT} sets {@code centralDb}'s
     * {@code connectionTimeout}.
     */
    static Map<String, String> camelGroupOverrides(Properties mapped, Properties files, Properties system) {
        Set<String> fileVariables = files.stringPropertyNames().stream().map(ConfigurationLayers::variableName)
                .collect(Collectors.toSet());
        Map<String, String> beans = new LinkedHashMap<>();
        for (String key : files.stringPropertyNames()) {
            if (key.startsWith(BEANS)) {
                String bean = key.substring(BEANS.length()).split("\\.", 2)[0];
                beans.put(bean.toLowerCase(Locale.ROOT), bean);
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String key : mapped.stringPropertyNames()) {
            if (fileVariables.contains(variableName(key)) || CAMEL_READS_ITSELF.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String exact = key;
            if (key.startsWith(BEANS)) {
                String[] bean = key.substring(BEANS.length()).split("\\.", 2);
                exact = BEANS + beans.getOrDefault(bean[0], bean[0]) + (bean.length > 1 ? "." + bean[1] : "");
            }
            if (system.getProperty(exact) == null) {
                overrides.put(exact, mapped.getProperty(key));
            }
        }
        return overrides;
    }

    /** Both files' keys: the packaged one from the class path and the one in {@code workingDirectory}. */
    static Properties fileKeys(ClassLoader classLoader, Path workingDirectory) {
        Properties keys = new Properties();
        files(classLoader, workingDirectory).values().forEach(keys::putAll);
        return keys;
    }

    /**
     * Each settings file there is, by the name a user knows it by: the working directory's (its absolute path),
     * then the packaged one.
     */
    static Map<String, Properties> files(ClassLoader classLoader, Path workingDirectory) {
        Map<String, Properties> files = new LinkedHashMap<>();
        try {
            Path local = workingDirectory.resolve(FILE_NAME);
            if (Files.isRegularFile(local)) {
                try (Reader reader = Files.newBufferedReader(local, StandardCharsets.UTF_8)) {
                    Properties p = new Properties();
                    p.load(reader);
                    files.put(local.toAbsolutePath().normalize().toString(), p);
                }
            }
            try (InputStream packaged = classLoader.getResourceAsStream(FILE_NAME)) {
                if (packaged != null) {
                    Properties p = new Properties();
                    p.load(packaged);
                    files.put("the packaged " + FILE_NAME, p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + FILE_NAME + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** Sets up {@code main} so the five layers apply in the documented order. */
    public static void apply(BaseMainSupport main, Map<String, String> env, Properties system) {
        main.setDefaultPropertyPlaceholderLocation(LOCATIONS);
        Properties files = fileKeys(ConfigurationLayers.class.getClassLoader(), Path.of(""));
        environmentOverrides(files, env, system).forEach(main::addOverrideProperty);
        camelGroupOverrides(MainHelper.loadEnvironmentVariablesAsProperties(new String[] {"camel."}), files, system)
                .forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configured) {
                // variables the files name are override properties by now; the rest only fill gaps, below -D
                ((PropertiesComponent) configured.getCamelContext().getPropertiesComponent())
                        .setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_FALLBACK);
            }
        });
    }

    /**
     * Camel Main without its own reading of the environment in the one step that configures the context,
     * beans, server, health, REST and the other {@code camel.*} groups: it would turn a variable for
     * {@code camel.beans.centralDb.jdbcUrl} into a bean {@code centraldb}. {@link #apply} has made those
     * variables override properties by then.
     */
    public static class LayeredMain extends Main {

        public LayeredMain(Class<?> mainClass) {
            super(mainClass);
        }

        @Override
        protected void doConfigureCamelContextFromMainConfiguration(CamelContext camelContext,
                MainConfigurationProperties config, OrderedLocationProperties autoConfiguredProperties) throws Exception {
            boolean environment = mainConfigurationProperties.isAutoConfigurationEnvironmentVariablesEnabled();
            mainConfigurationProperties.setAutoConfigurationEnvironmentVariablesEnabled(false);
            try {
                super.doConfigureCamelContextFromMainConfiguration(camelContext, config, autoConfiguredProperties);
            } finally {
                mainConfigurationProperties.setAutoConfigurationEnvironmentVariablesEnabled(environment);
            }
        }
    }
}
