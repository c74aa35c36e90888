package io.tributary;

import io.tributary.launch.ConfigurationLayers;
import io.tributary.launch.ServerAddressCheck;
import io.tributary.launch.ShutdownSignals;
import io.tributary.launch.StartRefused;
import io.tributary.launch.StartupSummary;
import io.tributary.launch.TemplatedRouteParameters;
import io.tributary.source.SourceFiles;
import org.apache.camel.main.Main;
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
        main.addMainListener(TemplatedRouteParameters.beforeStart());
        main.addMainListener(SourceFiles.beforeStart());
        return main;
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
