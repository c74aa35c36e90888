package io.tributary.source;

import java.time.Duration;
import java.time.Instant;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * What one source's runs did since this process started: the numbers behind its status
 * ({@code GET /api/sources}), its metrics and its health check. Updated by the route's steps and its
 * policy; read by any thread.
 */
public final class SourceRuns {

    /** The last failed run: why, when, and the central node's answer when it gave one (status 0 = none). */
    public record Failure(String message, Instant at, int centralStatus, String centralAnswer) {
    }

    private boolean running;
    private Instant runStart;
    private Instant runEnd;
    private long runRows;
    private long lastRunRows;
    private Instant lastSuccess;
    /**
     * When the source was last seen with nothing waiting: the start of the last read that found no more than it
     * returned (a page that was not full) in a run that then succeeded, or the start of a backlog count that
     * found no rows, whichever is later. Everything committed before it was sent; later counts that find rows
     * leave it, so the lag keeps growing while a source fails.
     */
    private Instant caughtUpAt;
    /** The same read of the run in progress, until the run succeeds. */
    private Instant readToEnd;
    private int consecutiveFailures;
    private long failedRuns;
    private long completedRuns;
    private long runNanos;
    private long rowsSent;
    private long batchesSent;
    private long batchesFailed;
    private Failure lastFailure;
    private Watermark watermark;
    private String position;

    synchronized void runStarted() {
        running = true;
        runStart = Instant.now();
        runRows = 0;
        readToEnd = null;
    }

    /** A read that started at {@code readStart} returned every change waiting (its page was not full). */
    synchronized void readToEnd(Instant readStart) {
        readToEnd = readStart;
    }

    synchronized void batchSent(int rows, Watermark at, String atPosition) {
        runRows += rows;
        rowsSent += rows;
        batchesSent++;
        watermark = at;
        position = atPosition;
    }

    /** A batch's attempt failed (each retry counts). */
    synchronized void batchFailed() {
        batchesFailed++;
    }

    /** The stored watermark as a run read it. */
    synchronized void watermark(Watermark stored, String storedPosition) {
        watermark = stored;
        position = storedPosition;
    }

    synchronized void runSucceeded() {
        ended();
        consecutiveFailures = 0;
        lastSuccess = runEnd;
        if (readToEnd != null) {
            caughtUp(readToEnd);
        }
    }

    /** Nothing was waiting at {@code at} (a backlog count found no rows); an earlier time is ignored. */
    synchronized void caughtUp(Instant at) {
        if (caughtUpAt == null || at.isAfter(caughtUpAt)) {
            caughtUpAt = at;
        }
    }

    synchronized void runFailed(Throwable exception) {
        ended();
        consecutiveFailures++;
        failedRuns++;
        Throwable root = ChangeSource.root(exception);
        String reason = ChangeSource.reason(exception);
        if (root instanceof HttpOperationFailedException http) {
            lastFailure = new Failure(reason, runEnd, http.getStatusCode(),
                    http.getResponseBody() == null ? "" : http.getResponseBody().strip());
        } else if (root instanceof CentralRefusal refusal) {
            lastFailure = new Failure(reason, runEnd, refusal.status(), refusal.answer());
        } else {
            lastFailure = new Failure(reason, runEnd, 0, null);
        }
    }

    private void ended() {
        Instant now = Instant.now();
        if (running && runStart != null) {
            completedRuns++;
            runNanos += Duration.between(runStart, now).toNanos();
        } else {
            runStart = now; // a failure before the run's first step (the poll itself failed)
        }
        running = false;
        runEnd = now;
        lastRunRows = runRows;
    }

    /** One consistent reading of every number. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(running, runStart, running ? null : runEnd, running ? runRows : lastRunRows, lastSuccess,
                caughtUpAt, consecutiveFailures, failedRuns, completedRuns, runNanos / 1e9, rowsSent, batchesSent,
                batchesFailed, lastFailure, watermark, position);
    }

    /**
     * @param runRows rows sent by the run in progress, else by the last run
     * @param runEnd  null while a run is in progress
     */
    public record Snapshot(boolean running, Instant runStart, Instant runEnd, long runRows, Instant lastSuccess,
                           Instant caughtUpAt, int consecutiveFailures, long failedRuns, long completedRuns,
                           double runSeconds, long rowsSent, long batchesSent, long batchesFailed, Failure lastFailure,
                           Watermark watermark, String position) {
    }
}
