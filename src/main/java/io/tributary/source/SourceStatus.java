package io.tributary.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.ServiceStatus;

/**
 * One source as {@code GET /api/sources[/{id}]} shows it (docs/operations.md#source-status). Reads only
 * what the source holds in memory and its last backlog count, so listing many sources costs no query.
 */
final class SourceStatus {

    /** What a source is doing, most urgent first. */
    enum State {
        STOPPED, PAUSED, FAILING, RUNNING, IDLE;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private SourceStatus() {
    }

    /** @param paused the source's pause is stored (its route may not be suspended yet, right after a restart) */
    static State state(ServiceStatus route, SourceRuns.Snapshot runs, boolean paused) {
        if (route == null || route.isStopped() || route.isStopping()) {
            return State.STOPPED;
        } else if (paused && runs.running()) {
            // the run in progress still sends its current page: paused once it has ended
            return State.RUNNING;
        } else if (paused || route.isSuspended() || route.isSuspending()) {
            return State.PAUSED;
        } else if (runs.consecutiveFailures() > 0) {
            return State.FAILING;
        }
        return runs.running() ? State.RUNNING : State.IDLE;
    }

    static ObjectNode view(ChangeSource source, ServiceStatus route) {
        SourceConfiguration c = source.settings();
        SourceRuns.Snapshot s = source.runs().snapshot();
        Instant now = Instant.now();
        ObjectNode v = Json.MAPPER.createObjectNode();
        Optional<Instant> pausedAt = source.pause().known();
        v.put("id", c.sourceId()).put("state", state(route, s, pausedAt.isPresent()).text()).put("mode", c.mode().parameterValue())
                .put("table", c.table()).put("collection", c.collection()).put("centralUrl", c.centralUrl())
                .put("watermark", s.watermark() == null ? null : s.watermark().toString()).put("position", s.position());
        ObjectNode run = v.putObject("lastRun");
        run.put("start", text(s.runStart())).put("end", text(s.runEnd())).put("rows", s.runRows());
        if (s.runStart() != null && s.runEnd() != null) {
            run.put("seconds", Duration.between(s.runStart(), s.runEnd()).toMillis() / 1000.0);
        } else {
            run.putNull("seconds");
        }
        v.put("pausedAt", text(pausedAt.orElse(null))).put("lastSuccess", text(s.lastSuccess())).put("consecutiveFailures", s.consecutiveFailures())
                .put("failedRuns", s.failedRuns());
        if (s.lastFailure() == null) {
            v.putNull("lastError");
        } else {
            ObjectNode e = v.putObject("lastError");
            e.put("message", s.lastFailure().message()).put("at", s.lastFailure().at().toString());
            if (s.lastFailure().centralStatus() == 0) {
                e.putNull("centralStatus").putNull("centralAnswer");
            } else {
                e.put("centralStatus", s.lastFailure().centralStatus()).put("centralAnswer", s.lastFailure().centralAnswer());
            }
        }
        v.put("rowsSent", s.rowsSent()).put("batchesSent", s.batchesSent()).put("batchesFailed", s.batchesFailed());
        Optional<SourceBacklog.Reading> backlog = source.backlog().reading();
        ObjectNode b = v.putObject("backlog");
        b.put("rows", backlog.map(SourceBacklog.Reading::rows).orElse(null))
                .put("atLeast", backlog.map(SourceBacklog.Reading::atLeast).orElse(false))
                .put("countedAt", backlog.map(r -> r.at().toString()).orElse(null))
                .put("error", backlog.map(SourceBacklog.Reading::error).orElse(null));
        v.put("centralPosition", backlog.map(SourceBacklog.Reading::centralPosition).orElse(null));
        SourceLag lag = SourceLag.of(s, backlog.orElse(null), now);
        if (Double.isNaN(lag.seconds())) {
            v.putNull("lagSeconds");
        } else {
            v.put("lagSeconds", lag.seconds());
        }
        v.put("lagSource", lag.measuredBy());
        return v;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
