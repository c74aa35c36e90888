package io.tributary.central;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.apache.camel.CamelContext;

/**
 * The central endpoint's imports on {@code /observe/metrics}: {@code tributary_central_documents_total}
 * by {@code collection} and {@code outcome} (imported = created or replaced, ignored = not newer, rejected =
 * refused, alone or with its whole request) and {@code tributary_central_import_duration_seconds}, a
 * histogram of whole import requests by {@code collection}.
 */
final class ImportMetrics {

    /** Histogram buckets (le) from 5 ms to 10 s. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    private ImportMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Null when the Camel runtime has no Micrometer registry. */
    static ImportMetrics of(CamelContext context) {
        MeterRegistry registry = context == null ? null : context.getRegistry().findSingleByType(MeterRegistry.class);
        return registry == null ? null : new ImportMetrics(registry);
    }

    void imported(String collection, ImportResult result, Duration took) {
        documents(collection, "imported", result.created() + result.updated());
        documents(collection, "ignored", result.ignored());
        documents(collection, "rejected", result.errors());
        timer(collection).record(took);
    }

    void refused(String collection, int documents, Duration took) {
        documents(collection, "rejected", documents);
        timer(collection).record(took);
    }

    private void documents(String collection, String outcome, long count) {
        Counter.builder("tributary.central.documents").description("Documents the import endpoint received, by outcome")
                .tag("collection", collection).tag("outcome", outcome).register(registry).increment(count);
    }

    private Timer timer(String collection) {
        return Timer.builder("tributary.central.import.duration").description("Import requests, from parsed to answered")
                .serviceLevelObjectives(BUCKETS).tag("collection", collection).register(registry);
    }
}
