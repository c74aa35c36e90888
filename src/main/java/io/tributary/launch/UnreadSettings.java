package io.tributary.launch;

import io.tributary.names.NearestName;
import io.tributary.node.PeerNodes;
import io.tributary.offline.OfflineJobs;
import io.tributary.sql.ListedTables;
import io.tributary.twoway.TwoWayTables;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Refuses to start when an {@code application.properties} sets a {@code tributary.*} key that nothing reads:
 * a misspelled setting would otherwise keep its default without a word ({@code tributary.central.pasword}
 * leaves the node without a password). A key is read when a placeholder names it ({@code {{tributary.x:…}}} in
 * either settings file or in a route file Camel loads, the examples copied into {@code routes/} included), or
 * when it is one of the keys Java looks up by name. Only the files are checked: environment variables and
 * {@code -D} properties also carry other programs' {@code TRIBUTARY_*} names.
 */
public final class UnreadSettings extends MainListenerSupport {

    private static final String PREFIX = "tributary.";
    /** A placeholder's key: {@code {{tributary.central.password:}}}, {@code {{?tributary.x}}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??(tributary\\.[^:}\\s]+)");
    /** The keys Java looks up per DataSource bean: {@code <prefix><bean>.tables}. */
    private static final List<String> PER_BEAN = List.of(ListedTables.SYNC_SOURCES, OfflineJobs.RESTORE_TARGETS,
            TwoWayTables.PREFIX);
    private static final Set<String> READ_BY_NAME = Set.of(PeerNodes.PROPERTY, TwoWayTables.COLLECTIONS);
    /** Read by the logging set-up, which starts before the settings files are read. */
    private static final Set<String> LOGGING = Set.of("tributary.log.format", "tributary.log.target");

    @Override
    public void beforeStart(BaseMainSupport main) {
        Map<String, Properties> files = ConfigurationLayers.files(ConfigurationLayers.class.getClassLoader(), Path.of(""));
        Set<String> read = new TreeSet<>(READ_BY_NAME);
        files.values().forEach(p -> p.stringPropertyNames().forEach(key -> placeholders(p.getProperty(key), read)));
        String routes = main.configure().getRoutesIncludePattern();
        if (routes != null) {
            placeholdersInRoutes(main.getCamelContext(), routes, read);
        }
        files.forEach((file, properties) -> {
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                String refusal = refusal(key, read);
                if (refusal != null) {
                    throw new StartRefused(file + ": " + refusal);
                }
            }
        });
    }

    /** Why {@code key} is refused, or null when something reads it (or it is no {@code tributary.*} key). */
    static String refusal(String key, Set<String> read) {
        if (!key.startsWith(PREFIX) || read.contains(key) || PER_BEAN.stream().anyMatch(p -> isPerBean(key, p))) {
            return null;
        }
        if (LOGGING.contains(key)) {
            return key + " is read only as a system property (-D" + key + "=...) or as the environment variable "
                    + ConfigurationLayers.variableName(key) + ": logging starts before this file is read";
        }
        List<String> known = new ArrayList<>(read);
        PER_BEAN.forEach(p -> known.add(p + "<bean>.tables"));
        return NearestName.unknown("setting", key, known, "nothing reads it: remove it, or see README.md#configuration");
    }

    private static boolean isPerBean(String key, String prefix) {
        return key.startsWith(prefix) && key.endsWith(".tables")
                && key.length() > prefix.length() + ".tables".length()
                && key.indexOf('.', prefix.length()) == key.length() - ".tables".length();
    }

    static void placeholders(String text, Set<String> into) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static void placeholdersInRoutes(CamelContext context, String patterns, Set<String> into) {
        for (String pattern : patterns.split(",")) {
            try {
                for (Resource resource : PluginHelper.getPackageScanResourceResolver(context).findResources(pattern.trim())) {
                    try (InputStream in = resource.getInputStream()) {
                        placeholders(new String(in.readAllBytes(), StandardCharsets.UTF_8), into);
                    }
                }
            } catch (Exception e) {
                // a route file that cannot be read fails the start anyway, with Camel's own words about it
            }
        }
    }
}
