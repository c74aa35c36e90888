package io.tributary;

import io.tributary.http.BasicAuthentication;
import io.tributary.launch.ConfigurationLayers;
import io.tributary.launch.ServerAddressCheck;
import io.tributary.launch.ShutdownSignals;
import io.tributary.launch.StartRefused;
import io.tributary.launch.StartupSummary;
import io.tributary.launch.TemplatedRouteParameters;
import io.tributary.launch.UnreadSettings;
import io.tributary.source.SourceFiles;
import java.util.function.BiConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.LoggerFactory;

/**
 * Standalone entry point. Everything else (routes, beans, datasources) comes from
 * {@code application.properties} and {@code routes/*.yaml}, so users change behaviour without recompiling;
 * {@link ConfigurationLayers} says which setting wins.
 */
public final class TributaryMain {

    private TributaryMain() {
    }

    public static Main create() {
        Main main = new ConfigurationLayers.LayeredMain(TributaryMain.class);
        // beans come from application.properties; scanning io.tributary for configuration classes finds none
        main.configure().setBasePackageScanEnabled(false);
        ConfigurationLayers.apply(main, System.getenv(), System.getProperties());
        main.addMainListener(new ServerAddressCheck());
        main.addMainListener(new StartupSummary());
        main.addMainListener(new UnreadSettings());
        main.addMainListener(beforeStart(TemplatedRouteParameters.class, TemplatedRouteParameters::onContextStarting));
        main.addMainListener(beforeStart(SourceFiles.class, SourceFiles::requireUniqueIds));
        // its refusal of the network without a password, before Camel reports it as the failure of a route
        main.addMainListener(beforeStart(BasicAuthentication.class, (authentication, context) -> authentication.start()));
        return main;
    }

    /**
     * A start-up check of a bean the route files use, run once all files are read and before the context starts:
     * a refusal is then its one "Not started" line (thrown while the context starts, Camel logs it with a stack trace).
     */
    private static <T> MainListener beforeStart(Class<T> type, BiConsumer<T, CamelContext> check) {
        return new MainListenerSupport() {
            @Override
            public void beforeStart(BaseMainSupport main) {
                CamelContext context = main.getCamelContext();
                context.getRegistry().findByType(type).forEach(bean -> check.accept(bean, context));
            }
        };
    }

    public static void main(String... args) throws Exception {
        ShutdownSignals.install();
        try {
            System.exit(create().run(args));
        } catch (Exception e) {
            LoggerFactory.getLogger("io.tributary.Tributary").error("Not started: {}", StartRefused.reasonOf(e));
            System.exit(1);
        }
    }
}
