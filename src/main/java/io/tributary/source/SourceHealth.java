package io.tributary.source;

import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * One source's run outcomes as a Camel health check ({@code /observe/health}): DOWN once
 * {@code downAfterFailedRuns} runs in a row failed, with the last reason, so a poisoned batch or an
 * unreachable central node is visible without reading logs.
 */
public final class SourceHealth extends AbstractHealthCheck {

    private final int downAfterFailedRuns;
    private int consecutiveFailures;
    private long failedRuns;
    private long rowsSent;
    private String lastError;
    private Instant lastFailureAt;
    private Instant lastSuccessAt;
    private int openGaps = -1;
    private long givenUpGaps;

    public SourceHealth(String sourceId, int downAfterFailedRuns) {
        super("tributary", "source-" + sourceId);
        this.downAfterFailedRuns = downAfterFailedRuns;
    }

    synchronized void batchSent(int rows) {
        rowsSent += rows;
    }

    /** Incrementing mode: holes in the key sequence still waited for, and those given up. */
    synchronized void gaps(int open, long givenUp) {
        openGaps = open;
        givenUpGaps = givenUp;
    }

    synchronized int openGaps() {
        return Math.max(openGaps, 0);
    }

    synchronized long givenUpGaps() {
        return givenUpGaps;
    }

    synchronized void runSucceeded() {
        consecutiveFailures = 0;
        lastSuccessAt = Instant.now();
    }

    synchronized void runFailed(String reason) {
        consecutiveFailures++;
        failedRuns++;
        lastError = reason;
        lastFailureAt = Instant.now();
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    @Override
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("consecutive.failed.runs", consecutiveFailures).detail("failed.runs", failedRuns)
                .detail("rows.sent", rowsSent);
        if (openGaps >= 0) {
            builder.detail("key.gaps.open", openGaps).detail("key.gaps.given.up", givenUpGaps);
        }
        if (lastSuccessAt != null) {
            builder.detail("last.success", lastSuccessAt.toString());
        }
        if (lastError != null) {
            builder.detail("last.error", lastError).detail("last.failure", lastFailureAt.toString());
        }
        if (consecutiveFailures >= downAfterFailedRuns) {
            builder.message(consecutiveFailures + " runs in a row failed: " + lastError).down();
        } else {
            builder.up();
        }
    }
}
