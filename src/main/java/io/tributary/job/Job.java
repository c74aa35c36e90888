package io.tributary.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One job while this process runs it: its work, its control (progress, cancel, deadline) and its outcome. */
final class Job {

    final String id;
    final JobWork work;
    final JobControl control;
    final Instant startedAt = Instant.now();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String status = "running";
    private volatile String error;
    private volatile ObjectNode result;
    private volatile Instant finishedAt;
    /** Rows done when the progress was last written to the job table; only the checkpoint thread uses it. */
    private long checkpointedRowsDone = -1;

    Job(String id, JobWork work) {
        this.id = id;
        this.work = work;
        this.control = new JobControl(work.maxWaitSeconds(), work.timeoutHint());
    }

    void finish(String status, ObjectNode result, String error) {
        this.result = result;
        this.error = error;
        this.finishedAt = Instant.now();
        this.status = status;
    }

    /**
     * Wakes whoever waits for the job: only once it has let go of its target, so that a caller who waited
     * can start the next job on that target at once.
     */
    void released() {
        done.countDown();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    boolean isRunning() {
        return finishedAt == null;
    }

    String status() {
        return status;
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
        ObjectNode o = work.describe();
        o.put("id", id).put("kind", work.kind()).put("status", status).put("startedAt", startedAt.toString());
        ObjectNode progress = o.putObject("progress");
        progress.put("rowsDone", control.rowsDone()).put("rowsTotal", control.rowsTotal());
        if (finishedAt != null) {
            o.put("finishedAt", finishedAt.toString())
                    .put("durationMillis", finishedAt.toEpochMilli() - startedAt.toEpochMilli());
        }
        if (result != null) {
            o.set("result", result);
        }
        if (error != null) {
            o.put("error", error);
        }
        return o;
    }
}
