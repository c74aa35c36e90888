package io.tributary.sync;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running sync's progress and its limits: cancellation and the maximum wait time
 * ({@code maxWaitSeconds}, ArangoDB's {@code initialSyncMaxWaitTime}). The engine calls {@link #check()}
 * between steps; remote calls use {@link #remaining()} as their timeout, so a source that stops answering
 * also ends the sync on time.
 */
public final class SyncControl {

    private final long deadline;
    private final long maxWaitSeconds;
    private volatile boolean cancelled;
    private volatile boolean interrupted;

    final AtomicLong rowsDone = new AtomicLong();
    final AtomicLong rowsTotal = new AtomicLong(-1);

    /** @param maxWaitSeconds 0 or less: no limit */
    public SyncControl(long maxWaitSeconds) {
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

    /** The source's row count when the sync started; -1 until known. */
    public long rowsTotal() {
        return rowsTotal.get();
    }

    /** Adds rows a job has done (engines outside this package: backup, restore). */
    public void addRowsDone(long rows) {
        rowsDone.addAndGet(rows);
    }

    /** Sets the rows a job will handle in all, once known. */
    public void setRowsTotal(long rows) {
        rowsTotal.set(rows);
    }

    /** Throws when the sync must stop now. */
    public void check() {
        if (cancelled || Thread.currentThread().isInterrupted()) {
            throw stopped();
        }
        if (System.nanoTime() > deadline) {
            throw timeout();
        }
    }

    public SyncStopped timeout() {
        return new SyncStopped(false, "timed out: the sync did not finish within maxWaitSeconds=" + maxWaitSeconds
                + " (raise maxWaitSeconds, or use incremental: true to transfer less)");
    }

    /** Time left before the deadline; at most a day when there is none. */
    public Duration remaining() {
        if (deadline == Long.MAX_VALUE) {
            return Duration.ofDays(1);
        }
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    SyncStopped stopped() {
        return interrupted ? new SyncStopped(false, SyncJobTable.INTERRUPTED) : new SyncStopped(true, "cancelled");
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
