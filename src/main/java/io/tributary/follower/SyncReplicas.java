package io.tributary.follower;

import io.tributary.http.ApiException;
import io.tributary.http.QueryString;
import io.tributary.http.RequestPath;
import io.tributary.log.LogEndpoint;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Synchronous writes on a primary: an import or document write with {@code syncReplicas=N} is answered only
 * once N followers have applied it, that is once N followers asked for the log from a tick at or past the
 * write's last tick (a follower's {@code from} means "applied up to here"; the log endpoint remembers it).
 * Nothing else is sent. On {@code syncTimeout} the answer is 503: the write IS committed here, and the
 * message lists each follower's position.
 */
public class SyncReplicas {

    /** The header the import and document endpoints set after a write: its last log tick (ImportEndpoint). */
    static final String LAST_TICK = "X-Tributary-Last-Tick";
    static final int DEFAULT_TIMEOUT_SECONDS = 10;
    static final int MAX_TIMEOUT_SECONDS = 300;
    static final int MAX_REPLICAS = 100;
    private LogEndpoint logEndpoint;

    /** Where followers' positions are remembered: the log endpoint they read from. */
    public void setLogEndpoint(LogEndpoint logEndpoint) {
        this.logEndpoint = logEndpoint;
    }

    /** The exchange property holding what the request asked, from {@link #check} to {@link #await}. */
    private static final String ASKED = "tributarySyncReplicas";

    /** What a request asks: N followers of its database within a timeout; N = 0 asks nothing. */
    record Request(String database, int replicas, int timeoutSeconds) {
    }

    /**
     * A step before the write: 400 for a bad {@code syncReplicas} or {@code syncTimeout}, before anything is
     * written; keeps what was asked for {@link #await} (the answer replaces the request's headers).
     */
    public void check(Exchange exchange) {
        exchange.setProperty(ASKED, request(exchange.getMessage()));
    }

    /** A step after the write: returns when N followers hold it; 503 after the timeout. */
    public void await(Exchange exchange) throws InterruptedException {
        Request r = exchange.getProperty(ASKED, Request.class);
        Long tick = exchange.getMessage().getHeader(LAST_TICK, Long.class);
        if (r == null || r.replicas() == 0 || tick == null || tick <= 0) {
            return; // nothing asked, or the request wrote nothing that followers could apply
        }
        String database = r.database();
        long deadline = System.nanoTime() + r.timeoutSeconds() * 1_000_000_000L;
        // woken by each position a follower reports (its next log request), not by polling
        if (logEndpoint.awaitFollowers(database, tick, r.replicas(), deadline) < r.replicas()) {
            throw timeout(database, tick, r);
        }
    }

    private long holding(String database, long tick) {
        return logEndpoint.followers(database).stream().filter(p -> p.tick() >= tick).count();
    }

    private ApiException timeout(String database, long tick, Request r) {
        List<LogEndpoint.FollowerPosition> positions = new ArrayList<>(logEndpoint.followers(database));
        positions.sort(Comparator.comparing(LogEndpoint.FollowerPosition::follower));
        List<String> shown = positions.stream().map(p -> p.follower() + " at tick " + p.tick()
                + (p.tick() >= tick ? " (has it)" : " (" + (tick - p.tick()) + " ticks behind, last asked "
                + p.time().truncatedTo(ChronoUnit.SECONDS) + ")")).toList();
        return new ApiException(503, ApiException.WRITE_CONCERN_NOT_FULFILLED, "the write IS committed on the primary"
                + " (database '" + database + "', last tick " + tick + ") but only " + holding(database, tick) + " of the "
                + r.replicas() + " follower(s) asked for (syncReplicas) applied it within " + r.timeoutSeconds()
                + " s (syncTimeout); followers: " + (shown.isEmpty() ? "none has read this node's log" : String.join(", ", shown))
                + ". It reaches them when they catch up; do not repeat the write as if it had failed");
    }
    private static Request request(Message in) {
        Map<String, String> q = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        int replicas = (int) QueryString.number(q, "syncReplicas", 0, 0, MAX_REPLICAS);
        // 0 s would time out before any follower could answer: the range starts at 1
        int timeout = (int) QueryString.number(q, "syncTimeout", DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS);
        return new Request(RequestPath.database(in), replicas, timeout);
    }
}
