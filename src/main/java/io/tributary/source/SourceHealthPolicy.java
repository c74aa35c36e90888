package io.tributary.source;

import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.RoutePolicySupport;

/**
 * The source route's policy: its health check (and, for an incrementing source, its key-gap gauges)
 * is registered when Camel initialises the route, so {@code /observe/health} lists a source before its
 * first run, and goes with the route when it is removed.
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
        HealthCheckRegistry.get(route.getCamelContext()).register(health);
        if (source.settings().mode() == CaptureMode.INCREMENTING) {
            KeyGapMetrics.register(route.getCamelContext(), source.settings().sourceId(), health);
        }
    }

    @Override
    public void onRemove(Route route) {
        HealthCheckRegistry.get(route.getCamelContext()).unregister(source.health());
        KeyGapMetrics.unregister(route.getCamelContext(), source.settings().sourceId());
    }
}
