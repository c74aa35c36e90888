package io.tributary.source;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;

/**
 * A source's numbers on {@code /observe/metrics} (Prometheus), each labelled {@code source}:
 * {@code tributary_source_rows_sent_total}, {@code _batches_sent_total}, {@code _batches_failed_total},
 * {@code _failed_runs_total}, {@code _consecutive_failures}, {@code _run_duration_seconds} (count and sum of finished runs), {@code _backlog_rows},
 * {@code _lag_seconds}, {@code _last_success_timestamp_seconds} and, for an incrementing source,
 * {@code _key_gaps_open} and {@code _key_gaps_given_up}. They read the source's {@link SourceRuns}, so a
 * scrape costs nothing but the backlog count when that is due ({@link SourceBacklog}). Nothing is
 * registered when the Camel runtime has no Micrometer registry (a library user without metrics).
 */
final class SourceMetrics {

    private static final String PREFIX = "tributary.source.";

    private SourceMetrics() {
    }

    static void register(CamelContext context, ChangeSource source) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return;
        }
        String id = source.settings().sourceId();
        SourceRuns runs = source.runs();
        List.of(
                FunctionCounter.builder(PREFIX + "rows.sent", runs, r -> r.snapshot().rowsSent())
                        .description("Rows the central node acknowledged").tag("source", id).register(registry),
                FunctionCounter.builder(PREFIX + "batches.sent", runs, r -> r.snapshot().batchesSent())
                        .description("Batches the central node acknowledged").tag("source", id).register(registry),
                FunctionCounter.builder(PREFIX + "batches.failed", runs, r -> r.snapshot().batchesFailed())
                        .description("Failed attempts to send a batch (each retry counts)").tag("source", id).register(registry),
                FunctionTimer.builder(PREFIX + "run.duration", runs, r -> r.snapshot().completedRuns(),
                                r -> r.snapshot().runSeconds(), TimeUnit.SECONDS)
                        .description("Finished runs and the time they took").tag("source", id).register(registry),
                Gauge.builder(PREFIX + "backlog.rows", source, SourceMetrics::backlog)
                        .description("Rows waiting at the source, as last counted (at most backlogLimit)").tag("source", id)
                        .register(registry),
                Gauge.builder(PREFIX + "lag.seconds", source, s -> SourceLag.of(s, Instant.now()).seconds())
                        .description("Age of the oldest waiting change where the mode knows it, else seconds since the source"
                                + " last had nothing waiting")
                        .tag("source", id).register(registry),
                FunctionCounter.builder(PREFIX + "failed.runs", runs, r -> r.snapshot().failedRuns())
                        .description("Runs that failed (a run retries a batch before it fails)").tag("source", id)
                        .register(registry),
                // unlike the time since the last success, known for a source that never succeeded
                Gauge.builder(PREFIX + "consecutive.failures", runs, r -> r.snapshot().consecutiveFailures())
                        .description("Runs that failed since the last successful one").tag("source", id).register(registry),
                Gauge.builder(PREFIX + "last.success.timestamp.seconds", runs, SourceMetrics::lastSuccess)
                        .description("End of the last successful run, seconds since 1970").tag("source", id).register(registry));
        if (source.settings().mode() == CaptureMode.INCREMENTING) {
            SourceHealth health = source.health();
            Gauge.builder(PREFIX + "key.gaps.open", health, SourceHealth::openGaps)
                    .description("Holes in an incrementing source's key sequence still waited for").tag("source", id)
                    .register(registry);
            Gauge.builder(PREFIX + "key.gaps.given.up", health, SourceHealth::givenUpGaps)
                    .description("Holes in an incrementing source's key sequence given up (no row appeared in time)")
                    .tag("source", id).register(registry);
        }
    }

    /** A removed source's meters go with it (a restarted one registers its own). */
    static void unregister(CamelContext context, String sourceId) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null && sourceId != null) {
            registry.getMeters().stream()
                    .filter(m -> m.getId().getName().startsWith(PREFIX) && sourceId.equals(m.getId().getTag("source")))
                    .toList().forEach(registry::remove);
        }
    }

    private static double backlog(ChangeSource source) {
        return source.backlog().reading().map(SourceBacklog.Reading::rows).map(Long::doubleValue).orElse(Double.NaN);
    }

    private static double lastSuccess(SourceRuns runs) {
        Instant at = runs.snapshot().lastSuccess();
        return at == null ? Double.NaN : at.toEpochMilli() / 1000.0;
    }
}
