package io.tributary;

import org.apache.camel.main.Main;

/**
 * Standalone entry point. Everything else (routes, beans, datasources) comes from
 * {@code application.properties} and {@code routes/*.yaml}, so users change behaviour without recompiling.
 */
public final class TributaryMain {

    /** The packaged defaults first, then the working directory's file, which wins. */
    public static final String PROPERTY_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private TributaryMain() {
    }

    public static Main create() {
        Main main = new Main(TributaryMain.class);
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        return main;
    }

    public static void main(String... args) throws Exception {
        System.exit(create().run(args));
    }
}
