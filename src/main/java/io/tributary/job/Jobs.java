package io.tributary.job;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Service;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs (sync, backup, restore) in the background and keeps their status in {@code tributary_jobs}:
 * id, progress, result, cancel. One job at a time per thing written ({@link JobWork#writes()}): two jobs
 * writing one collection would undo each other.
 */
public class Jobs implements Service, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);
    /** How often the progress of running jobs is written to the job table. */
    private static final long CHECKPOINT_SECONDS = 2;
    /** How many jobs a list shows. */
    private static final int LISTED = 100;

    private DataSource dataSource;
    private CamelContext camelContext;
    private int threads = 2;

    private JobTable table;
    private ExecutorService executor;
    private ScheduledExecutorService checkpoints;
    private final Map<String, Job> running = new ConcurrentHashMap<>();
    private final Map<String, String> busy = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private final JobMetrics metrics = new JobMetrics(running);

    /** The database of the job table (the central store's). */
    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How many jobs run at the same time; more wait for a free thread (their maximum wait time runs). */
    public void setThreads(int threads) {
        this.threads = Math.max(1, threads);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        // before routes and beans stop: the job table (central database) is still there to record "interrupted"
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext context) {
                metrics.register(context);
            }

            @Override
            public void onContextStopping(CamelContext context) {
                stopping = true; // the HTTP routes still take requests for a moment: no new job may start
                Jobs.this.stop();
            }
        });
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        table = new JobTable(dataSource);
        int interrupted = table.open();
        if (interrupted > 0) {
            LOG.warn("{} job(s) were running when Tributary stopped; marked failed: interrupted", interrupted);
        }
        ExecutorServiceManager pools = camelContext.getExecutorServiceManager();
        executor = pools.newFixedThreadPool(this, "tributary-job", threads);
        // a thread of its own: a job blocked on a slow source or a long query still gets its progress written
        checkpoints = pools.newSingleThreadScheduledExecutor(this, "tributary-job-progress");
        checkpoints.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_SECONDS, CHECKPOINT_SECONDS, TimeUnit.SECONDS);
    }

    /** Writes the progress of running jobs that moved since the last time to the job table. */
    private void checkpoint() {
        for (Job job : running.values()) {
            if (job.isRunning() && job.progressedSinceCheckpoint()) {
                try {
                    table.saveProgress(job.id, job.view());
                } catch (RuntimeException e) {
                    // the job goes on; its progress is still shown from memory
                    LOG.warn("Cannot record the progress of {} job {}: {}", job.work.kind(), job.id, e.getMessage());
                }
            }
        }
    }

    /** Stops what runs as failed "interrupted"; their rows stay "running" only if the process dies first. */
    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        // no shutdownNow: an interrupt closes H2's files under a checkpoint that is writing
        ExecutorServiceManager pools = camelContext.getExecutorServiceManager();
        pools.shutdown(checkpoints);
        checkpoints = null;
        running.values().forEach(j -> j.control.interrupt());
        pools.shutdown(executor);
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
        // a job stuck in a long statement did not end in time: record it as its own end would
        for (Job job : running.values()) {
            try {
                table.save(job.id, job.view().put("status", "failed").put("error", JobTable.INTERRUPTED));
            } catch (RuntimeException e) {
                LOG.warn("Cannot mark job {} interrupted: {}", job.id, e.getMessage());
            }
        }
    }

    /** Starts a job that its caller has checked; it runs in the background. Its view as it starts. */
    public ObjectNode submit(JobWork work) {
        return launch(work).view();
    }

    private Job launch(JobWork work) {
        if (stopping) {
            throw new ApiException(503, ApiException.SHUTTING_DOWN, "Tributary is stopping: no new job");
        }
        start();
        String id = UUID.randomUUID().toString();
        String other = busy.putIfAbsent(work.writes(), id);
        if (other != null) {
            throw new ApiException(409, 409, "a job writing " + work.writes() + " is already running: job " + other);
        }
        Job job = new Job(id, work);
        try {
            table.insert(id, job.view());
            running.put(id, job);
            executor.execute(() -> execute(job));
        } catch (RuntimeException e) {
            busy.remove(work.writes(), id);
            running.remove(id);
            throw e;
        }
        LOG.info("{} job {} started: {}", capitalized(work.kind()), id, work.describe());
        return job;
    }

    /** Starts a job and waits until it ends; the final view. */
    public ObjectNode submitAndWait(JobWork work) throws InterruptedException {
        // the job itself, not a lookup by id: it may already have ended (and left the running jobs) while
        // still letting go of its target
        Job job = launch(work);
        job.await(Long.MAX_VALUE, TimeUnit.DAYS);
        return job.view();
    }

    /**
     * For YAML routes: runs a job to its end and returns its final view as JSON text; throws when it did
     * not succeed, so the route's error handling sees it.
     */
    public String runToEnd(JobWork work) throws InterruptedException {
        ObjectNode result = submitAndWait(work);
        if (!"succeeded".equals(result.path("status").asText())) {
            throw new IllegalStateException(capitalized(work.kind()) + " job " + result.path("id").asText() + " "
                    + result.path("status").asText() + ": " + result.path("error").asText());
        }
        return result.toString();
    }

    public Optional<ObjectNode> find(String id) {
        start();
        Job job = running.get(id);
        return job != null ? Optional.of(job.view()) : table.find(id);
    }

    /** The recent jobs, newest first: of one kind, or all when {@code kind} is null. */
    public ObjectNode list(String kind) {
        start();
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode jobs = answer.putArray("jobs");
        for (ObjectNode stored : table.recent(kind, LISTED)) {
            Job live = running.get(stored.path("id").asText());
            jobs.add(live != null ? live.view() : stored);
        }
        return answer;
    }

    /** Asks a running job to stop; it ends as cancelled at its next step. Empty when there is no such job. */
    public Optional<ObjectNode> cancel(String id) {
        Job job = running.get(id);
        if (job != null) {
            job.control.cancel();
            try {
                job.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return find(id);
    }

    private void execute(Job job) {
        String status;
        String error = null;
        ObjectNode result;
        try {
            result = job.work.run(job.control);
            status = "succeeded";
        } catch (RuntimeException e) {
            status = e instanceof JobStopped s && s.cancelled() ? "cancelled" : "failed";
            error = e.getMessage();
            result = job.work.partialResult();
            if (!(e instanceof JobStopped)) {
                LOG.warn("{} job {} failed: {}", capitalized(job.work.kind()), job.id, e.getMessage());
            }
        } catch (Error e) {
            // out of memory or stack: the job ends failed, recorded as such, and lets go of its target, then the error goes on
            LOG.error("{} job {} failed", capitalized(job.work.kind()), job.id, e);
            end(job, "failed", null, e.toString());
            throw e;
        }
        end(job, status, result, error);
        LOG.info("{} job {} {}{}", capitalized(job.work.kind()), job.id, status, result == null ? "" : ": " + result);
    }

    /** Records the job's end in the job table (what a poller reads once it left the running jobs), then releases it. */
    private void end(Job job, String status, ObjectNode result, String error) {
        job.finish(status, result, error);
        try {
            table.save(job.id, job.endView());
        } catch (RuntimeException e) {
            LOG.error("Cannot record the end of job {}", job.id, e);
        } finally {
            release(job);
        }
    }

    /** Lets go of the job's target, and only then shows its end: whoever sees it end may start the next at once. */
    private void release(Job job) {
        busy.remove(job.work.writes(), job.id);
        synchronized (metrics) {
            if (running.remove(job.id) != null) {
                metrics.finished(job);
            }
        }
        job.released();
    }

    private static String capitalized(String kind) {
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }
}
