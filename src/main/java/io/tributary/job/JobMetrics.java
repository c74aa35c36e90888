package io.tributary.job;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;

/**
 * Jobs on {@code /observe/metrics}, labelled {@code kind}: {@code tributary_jobs_running} and
 * {@code tributary_job_rows_total} (rows done by finished jobs plus those done so far by running ones).
 */
final class JobMetrics {

    static final List<String> KINDS = List.of("sync", "backup", "restore", "two-way");

    private final Map<String, Job> running;
    private final Map<String, Long> finishedRows = new ConcurrentHashMap<>();
    private final AtomicBoolean registered = new AtomicBoolean();

    JobMetrics(Map<String, Job> running) {
        this.running = running;
    }

    void register(CamelContext context) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null || !registered.compareAndSet(false, true)) {
            return;
        }
        for (String kind : KINDS) {
            Gauge.builder("tributary.jobs.running", this, m -> m.running(kind)).description("Jobs running now")
                    .tag("kind", kind).register(registry);
            FunctionCounter.builder("tributary.job.rows", this, m -> m.rows(kind))
                    .description("Rows jobs transferred (sync, two-way), wrote (backup) or restored").tag("kind", kind)
                    .register(registry);
        }
    }

    /** Called with this object's lock held while the job leaves {@code running}, so the counter never dips. */
    void finished(Job job) {
        finishedRows.merge(job.work.kind(), job.control.rowsDone(), Long::sum);
    }

    private double running(String kind) {
        return running.values().stream().filter(j -> j.work.kind().equals(kind)).count();
    }

    private synchronized double rows(String kind) {
        return finishedRows.getOrDefault(kind, 0L)
                + running.values().stream().filter(j -> j.work.kind().equals(kind)).mapToLong(j -> j.control.rowsDone()).sum();
    }
}
