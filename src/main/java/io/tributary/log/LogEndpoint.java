package io.tributary.log;

import static io.tributary.http.JsonResponse.send;
import static io.tributary.http.RequestPath.database;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.tributary.http.ApiException;
import io.tributary.http.QueryString;
import io.tributary.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The change log over HTTP ({@code routes/change-log.camel.yaml}): {@code GET /_api/tributary/log/state} and
 * {@code GET /_api/tributary/log?from=&limit=&wait=&follower=}, also under {@code /_db/{database}}, in the
 * wire format of docs/replication.md. A read remembers the position a follower reports.
 */
public class LogEndpoint {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    static final int MAX_WAIT_SECONDS = 60;
    private static final Set<String> READ_PARAMETERS = Set.of("from", "limit", "wait", "follower");

    private ChangeLog changeLog;
    private final Map<List<String>, FollowerPosition> followers = new ConcurrentHashMap<>();
    /** Bumped and notified whenever a follower reports a position, so waiting synchronous writes look again. */
    private final Object reports = new Object();
    private long reportGeneration;

    /** What a follower last said it applied: the {@code from} of its latest read, and when it asked. */
    public record FollowerPosition(String follower, String database, long tick, Instant time) {
    }

    public void setChangeLog(ChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    /** {@code GET /_api/tributary/log/state}. */
    public void state(Exchange exchange) {
        Message in = exchange.getMessage();
        parameters(in, Set.of());
        String database = database(in);
        send(in, 200, stateJson(enabledLog().state(database)));
    }

    /** {@code GET /_api/tributary/log}: entries after {@code from}, held up to {@code wait} seconds while there are none. */
    public void read(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> params = parameters(in, READ_PARAMETERS);
        String database = database(in);
        ChangeLog log = enabledLog();
        if (!params.containsKey("from")) {
            throw ApiException.badParameter("query parameter 'from' is required: the last tick the reader has (0 for all)");
        }
        long from = QueryString.number(params, "from", 0, 0, Long.MAX_VALUE);
        int limit = (int) QueryString.number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int wait = (int) QueryString.number(params, "wait", 0, 0, MAX_WAIT_SECONDS);
        String follower = params.get("follower");
        if (follower != null) {
            if (follower.isBlank() || follower.length() > 64) {
                throw ApiException.badParameter("query parameter 'follower' is a server id of 1 to 64 characters");
            }
            if (follower.equals(log.serverId())) {
                throw new ApiException(400, ApiException.REPLICATION_LOOP, "a node cannot follow itself: follower "
                        + ApiException.printable(follower) + " is this node's server id");
            }
            followers.put(List.of(database, follower), new FollowerPosition(follower, database, from, Instant.now()));
            synchronized (reports) {
                reportGeneration++;
                reports.notifyAll();
            }
        }
        LogPage page;
        try {
            page = log.read(database, from, limit, Duration.ofSeconds(wait));
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(e.getMessage() + " of database " + database);
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("serverId", log.serverId()).put("database", database);
        ArrayNode entries = body.putArray("entries");
        for (LogEntry e : page.entries()) {
            ObjectNode entry = entries.addObject().put("tick", e.tick()).put("collection", e.collection()).put("key", e.key())
                    .put("version", e.version() == null ? null : e.version().toString()).put("op", e.op())
                    .put("time", e.time() == null ? null : e.time().toString());
            if (e.json() != null) {
                // the stored JSON text as it is: parsed by the reader, not here
                entry.putRawValue("doc", new RawValue(e.json()));
            }
        }
        body.put("lastIncluded", page.lastIncluded()).put("lastTick", page.lastTick()).put("checkMore", page.checkMore());
        send(in, 200, body);
        in.setHeader("x-arango-replication-lastincluded", Long.toString(page.lastIncluded()));
        in.setHeader("x-arango-replication-checkmore", Boolean.toString(page.checkMore()));
    }

    /** The positions followers reported for {@code database}, by follower server id. */
    public List<FollowerPosition> followers(String database) {
        return followers.values().stream().filter(p -> p.database().equals(database)).toList();
    }

    /**
     * Waits until a follower of {@code database} reports a position at or past {@code tick} or the deadline
     * ({@link System#nanoTime}) passes; how many followers of it report such a position then.
     */
    public long awaitFollowers(String database, long tick, int replicas, long deadlineNanos) throws InterruptedException {
        while (true) {
            long generation;
            synchronized (reports) {
                generation = reportGeneration;
            }
            long holding = followers(database).stream().filter(p -> p.tick() >= tick).count();
            long left = deadlineNanos - System.nanoTime();
            if (holding >= replicas || left <= 0) {
                return holding;
            }
            synchronized (reports) {
                if (generation == reportGeneration) {
                    reports.wait(Math.max(1, left / 1_000_000));
                }
            }
        }
    }

    private ChangeLog enabledLog() {
        if (!changeLog.enabled()) {
            throw new ApiException(501, ApiException.NOT_IMPLEMENTED,
                    "the change log is off on this node (tributary.log.enabled=false)");
        }
        return changeLog;
    }

    static ObjectNode stateJson(LogState state) {
        return Json.MAPPER.createObjectNode().put("serverId", state.serverId()).put("database", state.database())
                .put("lastTick", state.lastTick()).put("oldestTick", state.oldestTick())
                .put("time", state.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }

    private static Map<String, String> parameters(Message in, Set<String> known) {
        return QueryString.known(in.getHeader(Exchange.HTTP_QUERY, String.class), known);
    }
}
