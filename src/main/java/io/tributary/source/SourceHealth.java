package io.tributary.source;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * One source's run outcomes as a Camel health check, listed by {@code /observe/health?exposureLevel=full}:
 * after {@code downAfterFailedRuns} runs in a row failed its message says so, with the last reason. It
 * stays UP and is neither a liveness nor a readiness check: one failing source must not make a probe
 * restart the node or take it out of service, which would stop every healthy source and the central
 * endpoint with it. Its state is in {@code GET /api/sources} and the metrics.
 */
public final class SourceHealth extends SourceCheck {

    private final int downAfterFailedRuns;
    private final SourceRuns runs;
    private int openGaps = -1;
    private long givenUpGaps;

    public SourceHealth(String sourceId, int downAfterFailedRuns, SourceRuns runs) {
        super("source-" + sourceId);
        this.downAfterFailedRuns = downAfterFailedRuns;
        this.runs = runs;
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

    public int consecutiveFailures() {
        return runs.snapshot().consecutiveFailures();
    }

    @Override
    protected synchronized void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SourceRuns.Snapshot s = runs.snapshot();
        boolean failing = s.consecutiveFailures() >= downAfterFailedRuns;
        builder.detail("failing", failing).detail("consecutive.failed.runs", s.consecutiveFailures())
                .detail("failed.runs", s.failedRuns()).detail("rows.sent", s.rowsSent());
        if (openGaps >= 0) {
            builder.detail("key.gaps.open", openGaps).detail("key.gaps.given.up", givenUpGaps);
        }
        if (s.lastSuccess() != null) {
            builder.detail("last.success", s.lastSuccess().toString());
        }
        if (s.lastFailure() != null) {
            builder.detail("last.error", s.lastFailure().message()).detail("last.failure", s.lastFailure().at().toString());
        }
        if (failing) {
            builder.message("failing: " + s.consecutiveFailures() + " runs in a row failed: " + s.lastFailure().message());
        }
        builder.up();
    }
}
