package io.tributary.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
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
 * Runs sync jobs in the background and keeps their status in {@code tributary_sync_jobs}. Called by the
 * HTTP routes ({@link SyncJobEndpoint}) and by YAML routes ({@link #run(String)}, e.g. on a schedule).
 * One job at a time per target collection: two syncs into one collection would undo each other.
 */
public class SyncJobs implements Service, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(SyncJobs.class);
    /** How often the progress of running jobs is written to the job table. */
    private static final long CHECKPOINT_SECONDS = 2;

    private CollectionStore store;
    private DataSource dataSource;
    private CamelContext camelContext;
    private int threads = 2;
    private int serverPort;
    private PeerNodes peers = new PeerNodes("");
    private double maxDeleteFraction = DeleteLimit.DEFAULT.maxFraction();
    private SqlSourceTables sqlSources = new SqlSourceTables(name -> Optional.empty());

    private SyncJobTable table;
    private ExecutorService executor;
    private ScheduledExecutorService checkpoints;
    private final Map<String, SyncJob> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private final Map<String, String> busyTargets = new ConcurrentHashMap<>();

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    /** The database of the job table (the central store's). */
    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How many syncs run at the same time; more wait for a free thread (their maximum wait time runs). */
    public void setThreads(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** This node's HTTP port: a source URL on this port and host is this node itself. */
    public void setServerPort(int serverPort) {
        this.serverPort = serverPort;
    }

    /** {@code tributary.sync.peers}: the only node URLs a job may read from (and send credentials to). */
    public void setPeers(String peers) {
        this.peers = new PeerNodes(peers);
    }

    /** {@code tributary.sync.max-delete-fraction}: more deletes than this fraction of the target need allowMassDelete. */
    public void setMaxDeleteFraction(double maxDeleteFraction) {
        this.maxDeleteFraction = new DeleteLimit(maxDeleteFraction, false).maxFraction();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        // per DataSource bean, so looked up by name when a job names one (environment variables included)
        this.sqlSources = new SqlSourceTables(name -> camelContext.getPropertiesComponent().resolveProperty(name));
        // before routes and beans stop: the job table (central database) is still there to record "interrupted"
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                stopping = true; // the HTTP routes still take requests for a moment: no new job may start
                SyncJobs.this.stop();
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
        table = new SyncJobTable(dataSource);
        int interrupted = table.open();
        if (interrupted > 0) {
            LOG.warn("{} sync job(s) were running when Tributary stopped; marked failed: interrupted", interrupted);
        }
        ExecutorServiceManager pools = camelContext.getExecutorServiceManager();
        executor = pools.newFixedThreadPool(this, "tributary-sync", threads);
        // a thread of its own: a sync blocked on a slow source or a long query still gets its progress written
        checkpoints = pools.newSingleThreadScheduledExecutor(this, "tributary-sync-progress");
        checkpoints.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_SECONDS, CHECKPOINT_SECONDS, TimeUnit.SECONDS);
    }

    /** Writes the progress of running jobs that moved since the last time to the job table. */
    private void checkpoint() {
        for (SyncJob job : running.values()) {
            if (job.isRunning() && job.progressedSinceCheckpoint()) {
                try {
                    table.saveProgress(job.id, job.view());
                } catch (RuntimeException e) {
                    // the job goes on; its progress is still shown from memory
                    LOG.warn("Cannot record the progress of sync job {}: {}", job.id, e.getMessage());
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
        for (SyncJob job : running.values()) {
            try {
                table.save(job.id, job.view().put("status", "failed").put("error", SyncJobTable.INTERRUPTED));
            } catch (RuntimeException e) {
                LOG.warn("Cannot mark sync job {} interrupted: {}", job.id, e.getMessage());
            }
        }
    }

    /** Starts a job; it runs in the background. */
    public ObjectNode submit(SyncSpec spec) {
        if (stopping) {
            throw new ApiException(503, ApiException.SHUTTING_DOWN, "Tributary is stopping: no new sync job");
        }
        start();
        // first, before any name is resolved or any connection made
        if (spec.isRemote()) {
            peers.check(spec.url);
        } else {
            sqlSources.check(spec.dataSource, spec.table);
        }
        SyncTask task = new SyncTask(spec, store, this::dataSource, serverPort, maxDeleteFraction);
        task.validate();
        String id = UUID.randomUUID().toString();
        String other = busyTargets.putIfAbsent(spec.targetId(), id);
        if (other != null) {
            throw new ApiException(409, 409, "a sync into " + spec.targetId() + " is already running: job " + other);
        }
        SyncJob job = new SyncJob(id, spec);
        try {
            table.insert(id, job.view());
            running.put(id, job);
            executor.execute(() -> execute(job, task));
        } catch (RuntimeException e) {
            busyTargets.remove(spec.targetId(), id);
            running.remove(id);
            throw e;
        }
        LOG.info("Sync job {} started: {}", id, spec.toJson());
        return job.view();
    }

    /** Starts a job and waits until it ends; the final view. */
    public ObjectNode submitAndWait(SyncSpec spec) throws InterruptedException {
        ObjectNode started = submit(spec);
        SyncJob job = running.get(started.path("id").asText());
        if (job != null) {
            job.await(Long.MAX_VALUE, TimeUnit.DAYS);
        }
        return find(started.path("id").asText()).orElseThrow();
    }

    /**
     * For YAML routes: runs the sync described by the JSON body to its end and returns the final view as
     * JSON text; throws when the sync did not succeed, so the route's error handling sees it.
     */
    public String run(String json) throws InterruptedException {
        ObjectNode result = submitAndWait(SyncSpec.parse(json));
        if (!"succeeded".equals(result.path("status").asText())) {
            throw new IllegalStateException("Sync job " + result.path("id").asText() + " " + result.path("status").asText()
                    + ": " + result.path("error").asText());
        }
        return result.toString();
    }

    public Optional<ObjectNode> find(String id) {
        start();
        SyncJob job = running.get(id);
        return job != null ? Optional.of(job.view()) : table.find(id);
    }

    public ObjectNode list() {
        start();
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode jobs = answer.putArray("jobs");
        for (ObjectNode stored : table.recent(100)) {
            SyncJob live = running.get(stored.path("id").asText());
            jobs.add(live != null ? live.view() : stored);
        }
        return answer;
    }

    /** Asks a running job to stop; it ends as cancelled at its next step. Empty when there is no such job. */
    public Optional<ObjectNode> cancel(String id) {
        SyncJob job = running.get(id);
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

    private void execute(SyncJob job, SyncTask task) {
        String status;
        String error = null;
        SyncReport report = null;
        try {
            report = task.run(job.control);
            status = "succeeded";
        } catch (RuntimeException e) {
            status = e instanceof SyncStopped s && s.cancelled() ? "cancelled" : "failed";
            error = e.getMessage();
            report = task.report();
            if (!(e instanceof SyncStopped)) {
                LOG.warn("Sync job {} failed: {}", job.id, e.getMessage());
            }
        }
        job.finish(status, report, error);
        try {
            table.save(job.id, job.view());
        } catch (RuntimeException e) {
            LOG.error("Cannot record the end of sync job {}", job.id, e);
        } finally {
            running.remove(job.id);
            busyTargets.remove(job.spec.targetId(), job.id);
        }
        LOG.info("Sync job {} {}{}", job.id, status, report == null ? "" : ": " + report.toJson());
    }

    private DataSource dataSource(String name) {
        return camelContext == null ? null : camelContext.getRegistry().lookupByNameAndType(name, DataSource.class);
    }
}
