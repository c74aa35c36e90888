package io.tributary.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import io.tributary.job.JobControl;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs verifies of this node's sources: as background jobs for the HTTP API, and in the caller's thread for
 * a scheduled verify. Jobs run one at a time (a verify reads a whole table; two would only compete for the
 * same databases) and are kept in memory, the last {@value #KEPT} of them: a verify changes nothing unless
 * asked to repair, and running it again is the way to see the current state, so nothing is persisted.
 */
public final class VerifyJobs implements CamelContextAware {

    static final int KEPT = 100;
    private static final Logger LOG = LoggerFactory.getLogger("io.tributary.verify");

    private CamelContext camelContext;
    private ExecutorService runner;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    private static final class Job {
        final String id = UUID.randomUUID().toString();
        final String sourceId;
        final boolean repair;
        final Instant startedAt = Instant.now();
        final JobControl control = new JobControl(0);
        volatile String status = "running";
        volatile Instant finishedAt;
        volatile VerifyReport result;
        volatile String error;
        Future<?> future;

        Job(String sourceId, boolean repair) {
            this.sourceId = sourceId;
            this.repair = repair;
        }

        ObjectNode toJson() {
            ObjectNode json = Json.MAPPER.createObjectNode().put("id", id).put("sourceId", sourceId)
                    .put("repair", repair).put("status", status).put("startedAt", startedAt.toString());
            if (finishedAt != null) {
                json.put("finishedAt", finishedAt.toString());
            }
            if (result != null) {
                json.set("result", result.toJson());
            }
            if (error != null) {
                json.put("error", error);
            }
            return json;
        }
    }

    /** Verifies a configured source now, in this thread (a scheduled verify); throws when it cannot finish. */
    public VerifyReport run(Exchange exchange, String sourceId, boolean repair) {
        return new Reconciliation(new ConfiguredSources(exchange.getContext()).settings(sourceId), repair,
                new JobControl(0)).run();
    }

    /** Starts a verify job; an unknown source is refused here (404), not in the job. */
    public ObjectNode start(CamelContext context, String sourceId, boolean repair, boolean wait)
            throws InterruptedException {
        SourceSettings settings = new ConfiguredSources(context).settings(sourceId);
        Job job = new Job(settings.sourceId(), repair);
        synchronized (jobs) {
            jobs.put(job.id, job);
            while (jobs.size() > KEPT) {
                jobs.remove(jobs.keySet().iterator().next());
            }
            job.future = runner().submit(() -> {
                String status = "failed";
                try {
                    job.result = new Reconciliation(settings, repair, job.control).run();
                    status = "succeeded";
                    if (job.result.isConsistent()) {
                        LOG.info("verify job {} consistent: {}", job.id, job.result.getSummary());
                    } else {
                        LOG.warn("verify job {} found differences: {}", job.id, job.result.getSummary());
                    }
                } catch (RuntimeException e) {
                    job.error = e.getMessage() == null ? e.toString() : e.getMessage();
                    LOG.warn("verify job {} of source {} failed: {}", job.id, job.sourceId, job.error);
                } finally {
                    job.finishedAt = Instant.now();
                    // last: whoever polls and sees the end sees its time, result and log line with it
                    job.status = status;
                }
            });
        }
        if (wait) {
            try {
                job.future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return job.toJson();
    }

    public Optional<ObjectNode> find(String sourceId, String id) {
        synchronized (jobs) {
            Job job = jobs.get(id);
            return job == null || !job.sourceId.equals(sourceId) ? Optional.empty() : Optional.of(job.toJson());
        }
    }

    /** The kept jobs of one source, newest first. */
    public ArrayNode list(String sourceId) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        synchronized (jobs) {
            jobs.values().stream().filter(j -> j.sourceId.equals(sourceId)).forEach(j -> list.insert(0, j.toJson()));
        }
        return list;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** The one thread verifies run in, from Camel's thread pools (created on first use). */
    private synchronized ExecutorService runner() {
        if (runner == null) {
            runner = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "tributary-verify");
        }
        return runner;
    }

    /** Stops a running verify when Tributary stops; nothing is left half-written (a repair batch is one request). */
    public void shutdown() {
        synchronized (jobs) {
            jobs.values().forEach(j -> j.control.interrupt());
        }
        synchronized (this) {
            if (runner != null) {
                camelContext.getExecutorServiceManager().shutdownNow(runner);
            }
        }
    }
}
