package io.tributary.source;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.JsonResponse;
import io.tributary.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;

/**
 * The last hour of each source, sampled by a timer in {@code routes/status-page.camel.yaml}: rows sent, lag,
 * backlog and state, so the status page (and {@code GET /api/sources/{sourceId}/history}) can draw the hour
 * right after it loads. Kept in memory only: a restart starts a new hour.
 */
public class SourceHistory {

    private static final long HOUR_MILLIS = 3_600_000;

    /** One sample; {@code rowsPerSecond} is over the time since the sample before it (null for the first). */
    record Sample(Instant at, long rowsSent, Double rowsPerSecond, Double lagSeconds, Long backlogRows, String state) {
    }

    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();
    private SourceEndpoint sources;
    private long intervalMillis = 60_000;

    public void setSources(SourceEndpoint sources) {
        this.sources = sources;
    }

    /** How often the timer samples; the history holds an hour of samples. */
    public void setIntervalMillis(long intervalMillis) {
        this.intervalMillis = Math.max(1, intervalMillis);
    }

    private int capacity() {
        return (int) Math.max(2, Math.min(HOUR_MILLIS / intervalMillis, 3600)) + 1;
    }

    /** Adds one sample per source; forgets sources that are no longer configured. */
    public void sample() {
        Instant now = Instant.now();
        List<ChangeSource> configured = sources.sources();
        Set<String> ids = configured.stream().map(s -> s.settings().sourceId()).collect(Collectors.toSet());
        samples.keySet().retainAll(ids);
        for (ChangeSource source : configured) {
            String id = source.settings().sourceId();
            SourceRuns.Snapshot s = source.runs().snapshot();
            SourceBacklog.Reading reading = source.backlog().reading().orElse(null);
            double lag = SourceLag.of(s, reading, now).seconds();
            Long backlog = reading == null ? null : reading.rows();
            String state = SourceStatus.state(sources.getCamelContext().getRouteController().getRouteStatus(id), s,
                    source.pause().known().isPresent()).text();
            Deque<Sample> ring = samples.computeIfAbsent(id, k -> new ArrayDeque<>());
            synchronized (ring) {
                Sample last = ring.peekLast();
                Double rate = null;
                if (last != null) {
                    long millis = Duration.between(last.at(), now).toMillis();
                    rate = millis <= 0 ? null : Math.max(0, s.rowsSent() - last.rowsSent()) * 1000.0 / millis;
                }
                ring.addLast(new Sample(now, s.rowsSent(), rate, Double.isNaN(lag) ? null : lag, backlog, state));
                while (ring.size() > capacity()) {
                    ring.removeFirst();
                }
            }
        }
    }

    /** {@code GET /api/sources/{sourceId}/history}: the samples of the last hour, oldest first. */
    public void history(Exchange exchange) {
        String id = sources.find(exchange).settings().sourceId();
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("id", id).put("intervalSeconds", intervalMillis / 1000.0);
        ArrayNode list = answer.putArray("samples");
        Deque<Sample> ring = samples.get(id);
        if (ring != null) {
            synchronized (ring) {
                for (Sample s : ring) {
                    list.addObject().put("at", s.at().toString()).put("rowsSent", s.rowsSent())
                            .put("rowsPerSecond", s.rowsPerSecond()).put("lagSeconds", s.lagSeconds())
                            .put("backlogRows", s.backlogRows()).put("state", s.state());
                }
            }
        }
        JsonResponse.send(exchange.getMessage(), 200, answer);
    }
}
