package io.tributary.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running job's progress and its limits: cancellation and the maximum wait time
 * ({@code maxWaitSeconds}, ArangoDB's {@code initialSyncMaxWaitTime}). The work calls {@link #check()}
 * between steps; remote calls use {@link #remaining()} as their timeout, so a source that stops answering
 * also ends the job on time.
 */
public final class JobControl {

    private final long deadline;
    private final long maxWaitSeconds;
    private final String hint;
    private volatile boolean cancelled;
    private volatile boolean interrupted;

    private final AtomicLong rowsDone = new AtomicLong();
    private final AtomicLong rowsTotal = new AtomicLong(-1);

    /** @param maxWaitSeconds 0 or less: no limit */
    public JobControl(long maxWaitSeconds) {
        this(maxWaitSeconds, "");
    }

    /** @param hint how else to finish in time, ends the timeout's message (e.g. "use incremental: true to transfer less") */
    public JobControl(long maxWaitSeconds, String hint) {
        this.hint = hint;
        this.maxWaitSeconds = maxWaitSeconds;
        this.deadline = maxWaitSeconds > 0 ? System.nanoTime() + Duration.ofSeconds(maxWaitSeconds).toNanos() : Long.MAX_VALUE;
    }

    public void cancel() {
        cancelled = true;
    }

    /** Tributary is stopping: the sync ends as failed with error "interrupted", as after a crash. */
    public void interrupt() {
        interrupted = true;
        cancelled = true;
    }

    public long rowsDone() {
        return rowsDone.get();
    }

    /** The rows the job has to go through; -1 until known. */
    public long rowsTotal() {
        return rowsTotal.get();
    }

    /** Adds rows the job has done. */
    public void addRowsDone(long rows) {
        rowsDone.addAndGet(rows);
    }

    public void setRowsDone(long rows) {
        rowsDone.set(rows);
    }

    /** Sets the rows a job will handle in all, once known. */
    public void setRowsTotal(long rows) {
        rowsTotal.set(rows);
    }

    /** Throws when the job must stop now. */
    public void check() {
        if (cancelled || Thread.currentThread().isInterrupted()) {
            throw stopped();
        }
        if (System.nanoTime() > deadline) {
            throw timeout();
        }
    }

    public JobStopped timeout() {
        return new JobStopped(false, "timed out: the job did not finish within maxWaitSeconds=" + maxWaitSeconds
                + " (raise maxWaitSeconds" + (hint.isEmpty() ? "" : ", or " + hint) + ")");
    }

    /** Time left before the deadline; at most a day when there is none. */
    public Duration remaining() {
        if (deadline == Long.MAX_VALUE) {
            return Duration.ofDays(1);
        }
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    public JobStopped stopped() {
        return interrupted ? new JobStopped(false, JobTable.INTERRUPTED) : new JobStopped(true, "cancelled");
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
