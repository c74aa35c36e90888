package io.tributary.launch;

import io.tributary.http.BasicAuthentication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few start-up lines a user acts on: the address the server really bound, whether it asks for
 * credentials, where health and metrics are, and which settings file was read. Camel's own endpoint
 * summary prints {@code 0.0.0.0} whatever the bind address, so it is switched off in logback.xml.
 */
public final class StartupSummary extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger("io.tributary.Tributary");

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server != null) {
            String base = "http://" + hostForUrl(server.getHost()) + ":" + server.getPort();
            LOG.info("Tributary is listening on {} ({})", base, reach(server.getHost()));
            BasicAuthentication auth = context.getRegistry().lookupByNameAndType("centralAuthentication",
                    BasicAuthentication.class);
            if (auth != null) {
                LOG.info("  credentials: {}", auth.isEnabled() ? "HTTP Basic required (tributary.central.username/password)"
                        : "none required (set tributary.central.password to require them)");
            }
            if (context.getRoute("central-import") != null) {
                LOG.info("  ArangoDB-compatible API: {}/_api/ (see docs/central-import.md)", base);
            }
            ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
            if (management != null) {
                String observe = "http://" + hostForUrl(management.getHost()) + ":" + management.getPort();
                LOG.info("  health: {}{}   metrics: {}{}", observe, management.getHealthPath(), observe,
                        context.getPropertiesComponent().resolveProperty("camel.metrics.path").orElse("/observe/metrics"));
            }
        }
        Path local = Path.of(ConfigurationLayers.FILE_NAME).toAbsolutePath();
        LOG.info("  settings: {}", Files.isRegularFile(local) ? local + " over the packaged defaults"
                : "the packaged defaults only (no " + local + ")");
        if (context.getRoutes().isEmpty()) {
            LOG.warn("  routes: none found in {}: nothing to do. Is this Tributary's directory?",
                    main.configure().getRoutesIncludePattern());
            return;
        }
        LOG.info("  routes: {} started from {}{}", context.getRoutes().size(),
                main.configure().getRoutesIncludePattern(),
                main.configure().isRoutesReloadEnabled() ? ", reloaded live when a file changes" : "");
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static String reach(String host) {
        return switch (host) {
            case "127.0.0.1", "localhost", "::1" -> "this host only; camel.server.host opens it to others";
            case "0.0.0.0", "::" -> "every network interface";
            default -> "bound to " + host;
        };
    }
}
