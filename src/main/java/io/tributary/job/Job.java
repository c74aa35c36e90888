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
    /** How the job ended, once it has; shown only after it let go of its target (see {@link #released()}). */
    private volatile End end;
    private volatile End shown;
    /** Rows done when the progress was last written to the job table; only the checkpoint thread uses it. */
    private long checkpointedRowsDone = -1;

    Job(String id, JobWork work) {
        this.id = id;
        this.work = work;
        this.control = new JobControl(work.maxWaitSeconds(), work.timeoutHint());
    }

    private record End(String status, ObjectNode result, String error, Instant at) {
    }

    void finish(String status, ObjectNode result, String error) {
        end = new End(status, result, error, Instant.now());
    }

    /**
     * Shows the end and wakes whoever waits for the job: only once it has let go of its target, so that a
     * caller who waited, or who saw it end, can start the next job on that target at once.
     */
    void released() {
        shown = end;
        done.countDown();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    boolean isRunning() {
        return end == null;
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

    /** The job as its callers see it: running until it has let go of its target. */
    ObjectNode view() {
        return view(shown);
    }

    /** Its final view, for the job table before it is shown. */
    ObjectNode endView() {
        return view(end);
    }

    private ObjectNode view(End outcome) {
        ObjectNode o = work.describe();
        o.put("id", id).put("kind", work.kind()).put("status", outcome == null ? "running" : outcome.status())
                .put("startedAt", startedAt.toString());
        ObjectNode progress = o.putObject("progress");
        progress.put("rowsDone", control.rowsDone()).put("rowsTotal", control.rowsTotal());
        if (outcome != null) {
            o.put("finishedAt", outcome.at().toString())
                    .put("durationMillis", outcome.at().toEpochMilli() - startedAt.toEpochMilli());
            if (outcome.result() != null) {
                o.set("result", outcome.result());
            }
            if (outcome.error() != null) {
                o.put("error", outcome.error());
            }
        }
        return o;
    }
}
