package io.tributary.source;

import java.util.List;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.RoutePolicySupport;

/**
 * The source route's policy: its health check and metrics are registered when Camel initialises the
 * route, so {@code /observe/health} and {@code /observe/metrics} list a source before its first run, and
 * go with the route when it is removed.
 */
public final class SourceHealthPolicy extends RoutePolicySupport {

    private final ChangeSource source;

    public SourceHealthPolicy(ChangeSource source) {
        this.source = source;
    }

    @Override
    public void onInit(Route route) {
        SourceHealth health = source.health();
        health.setCamelContext(route.getCamelContext());
        HealthCheckRegistry registry = HealthCheckRegistry.get(route.getCamelContext());
        registry.register(health);
        excludeRouteChecks(registry, route.getRouteId());
        SourceMetrics.register(route.getCamelContext(), source);
        source.backlog().start(route.getCamelContext());
    }

    /**
     * Camel's own checks of this route and its consumer are left out: they are readiness checks, DOWN while the
     * route is suspended or stopped (by an operator through Camel's own tools), and one source must not take the
     * node out of service. The source's own check says
     * how it is.
     */
    private static void excludeRouteChecks(HealthCheckRegistry registry, String routeId) {
        synchronized (registry) {
            String current = registry.getExcludePattern();
            String mine = "route:" + routeId + ",consumer:" + routeId;
            if (current == null || current.isBlank()) {
                registry.setExcludePattern(mine);
            } else if (!List.of(current.split(",")).contains("route:" + routeId)) {
                registry.setExcludePattern(current + "," + mine);
            }
        }
    }

    @Override
    public void onRemove(Route route) {
        HealthCheckRegistry.get(route.getCamelContext()).unregister(source.health());
        SourceMetrics.unregister(route.getCamelContext(), source.settings().sourceId());
    }
}
