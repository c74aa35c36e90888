package io.tributary.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One sync job while this process runs it: its spec, its control (progress, cancel, deadline) and its outcome. */
final class SyncJob {

    final String id;
    final SyncSpec spec;
    final SyncControl control;
    final Instant startedAt = Instant.now();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String status = "running";
    private volatile String error;
    private volatile SyncReport report;
    private volatile Instant finishedAt;
    /** Rows done when the progress was last written to the job table; only the checkpoint thread uses it. */
    private long checkpointedRowsDone = -1;

    SyncJob(String id, SyncSpec spec) {
        this.id = id;
        this.spec = spec;
        this.control = new SyncControl(spec.maxWaitSeconds);
    }

    void finish(String status, SyncReport report, String error) {
        this.report = report;
        this.error = error;
        this.finishedAt = Instant.now();
        this.status = status;
        done.countDown();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    boolean isRunning() {
        return finishedAt == null;
    }

    /** Whether the progress moved since the last checkpoint; remembers it as checkpointed. */
    boolean progressedSinceCheckpoint() {
        long done = control.rowsDone();
        if (done == checkpointedRowsDone) {
            return false;
        }
        checkpointedRowsDone = done;
        return true;
    }

    ObjectNode view() {
        ObjectNode o = spec.toJson();
        o.put("id", id).put("status", status).put("startedAt", startedAt.toString());
        ObjectNode progress = o.putObject("progress");
        progress.put("rowsDone", control.rowsDone()).put("rowsTotal", control.rowsTotal());
        if (finishedAt != null) {
            o.put("finishedAt", finishedAt.toString())
                    .put("durationMillis", finishedAt.toEpochMilli() - startedAt.toEpochMilli());
        }
        if (report != null) {
            o.set("result", report.toJson());
        }
        if (error != null) {
            o.put("error", error);
        }
        return o;
    }
}
