package io.tributary.source;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * An incrementing source's key gaps on {@code /observe/metrics}:
 * {@code tributary_source_key_gaps_open{source="..."}} and
 * {@code tributary_source_key_gaps_given_up{source="..."}}, read from its health check. Nothing is
 * registered when the Camel runtime has no Micrometer registry (a library user without metrics).
 */
final class KeyGapMetrics {

    private KeyGapMetrics() {
    }

    static void register(CamelContext context, String sourceId, SourceHealth health) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return;
        }
        Gauge.builder("tributary.source.key.gaps.open", health, SourceHealth::openGaps)
                .description("Holes in an incrementing source's key sequence still waited for").tag("source", sourceId)
                .register(registry);
        Gauge.builder("tributary.source.key.gaps.given.up", health, SourceHealth::givenUpGaps)
                .description("Holes in an incrementing source's key sequence given up (no row appeared in time)")
                .tag("source", sourceId).register(registry);
    }

    /** A removed source's gauges go with it (a restarted one registers its own). */
    static void unregister(CamelContext context, String sourceId) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null && sourceId != null) {
            registry.find("tributary.source.key.gaps.open").tag("source", sourceId).meters().forEach(registry::remove);
            registry.find("tributary.source.key.gaps.given.up").tag("source", sourceId).meters().forEach(registry::remove);
        }
    }
}
