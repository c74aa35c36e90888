package io.tributary.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.TributaryMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Runs the real product in-process: Camel Main with the repository's {@code application.properties}
 * and {@code routes/*.yaml}, plus per-test overrides (databases, ports, which route files to load).
 */
public final class TributaryApp implements AutoCloseable {

    private final Main main;

    private TributaryApp(Main main) {
        this.main = main;
    }

    public static Builder builder() {
        return new Builder();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    /**
     * Stops Camel and closes the connection pools the app made from its {@code camel.beans.<name> =
     * #class:...HikariDataSource} settings: Camel leaves beans open at stop (a process exits anyway), and
     * the many apps of a test JVM would otherwise hold their pools' connections to the end.
     */
    @Override
    public void close() {
        // every pool the app's registry holds, whichever way its bean was declared
        List<HikariDataSource> pools = new ArrayList<>(context().getRegistry().findByType(HikariDataSource.class));
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
            properties.put("camel.main.routes-reload-enabled", "false");
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        /** Route files to load, e.g. {@code file:routes/central-import.camel.yaml}. */
        public Builder routes(String... locations) {
            return property("camel.main.routes-include-pattern", String.join(",", locations));
        }

        public TributaryApp start() {
            Main main = TributaryMain.create();
            main.setPropertyPlaceholderLocations("file:application.properties");
            properties.forEach(main::addOverrideProperty);
            try {
                main.start();
            } catch (Exception e) {
                try {
                    main.stop(); // release what did start (e.g. the HTTP server) before reporting
                } catch (Exception ignored) {
                    e.addSuppressed(ignored);
                }
                throw new IllegalStateException("Tributary failed to start: " + e.getMessage(), e);
            }
            return new TributaryApp(main);
        }
    }
}
