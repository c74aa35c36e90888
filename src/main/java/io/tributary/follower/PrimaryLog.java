package io.tributary.follower;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.log.LogEntry;
import io.tributary.http.CollectionName;
import io.tributary.central.DocumentKey;
import io.tributary.http.ApiException;
import io.tributary.node.NodeClient;
import io.tributary.node.NodeCredentials;
import io.tributary.node.NodeErrorAnswer;
import io.tributary.node.NodeUnreachable;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A primary's change log as a follower reads it (wire format: docs/replication.md): its state (server id,
 * last tick), its collections, and pages of entries after a tick, long-polled. Every call goes through
 * {@link NodeClient} with the follower's credentials; errors name the primary's URL, never the password.
 */
final class PrimaryLog {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** Beyond a long poll's wait: the primary answers when it expires, plus time for a full page. */
    private static final Duration POLL_MARGIN = Duration.ofSeconds(60);
    /** Tributary's errorNum of a {@code from} older than the retained log (410). */
    static final int LOG_GONE = 1290;

    private final NodeClient node;
    private final String base;
    private final BooleanSupplier stopping;

    PrimaryLog(FollowerSpec spec, BooleanSupplier stopping) {
        this.node = new NodeClient(spec.primaryUrl, spec.password == null ? new NodeCredentials(null, null)
                : new NodeCredentials(spec.username == null ? "root" : spec.username, spec.password), CONNECT_TIMEOUT);
        this.base = "/_db/" + spec.database;
        this.stopping = stopping;
    }

    /** The primary's log state: its server id and last tick. */
    record State(String serverId, long lastTick, long oldestTick) {
    }

    /** A page of entries; {@code lastIncluded} is the tick the follower has seen up to once it applied them. */
    record Page(String serverId, List<LogEntry> entries, long lastIncluded, long lastTick, boolean checkMore) {
    }

    /** The primary no longer holds the entries after {@code from}: a new initial sync is needed. */
    static final class Gone extends RuntimeException {
        Gone(String message) {
            super(message);
        }
    }

    State state() {
        JsonNode s = call(base + "/_api/tributary/log/state", CALL_TIMEOUT);
        return new State(requireServerId(s), s.path("lastTick").asLong(), s.path("oldestTick").asLong());
    }

    List<String> collections() {
        JsonNode answer = call(base + "/_api/collection?excludeSystem=true", CALL_TIMEOUT);
        List<String> names = new ArrayList<>();
        answer.path("result").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    /**
     * Entries after {@code from}; waits up to {@code waitSeconds} on the primary when there are none yet. With a
     * {@code followerServerId} the primary takes {@code from} as this follower's applied position (so only a
     * tick applied and committed here may be sent with it); null reads without reporting.
     */
    Page page(long from, int limit, int waitSeconds, String followerServerId) {
        String path = base + "/_api/tributary/log?from=" + from + "&limit=" + limit + "&wait=" + waitSeconds
                + (followerServerId == null ? "" : "&follower=" + URLEncoder.encode(followerServerId, StandardCharsets.UTF_8));
        JsonNode p;
        try {
            p = call(path, Duration.ofSeconds(waitSeconds).plus(POLL_MARGIN));
        } catch (NodeErrorAnswer e) {
            if (e.status() == 410) {
                throw new Gone("the primary " + node.url() + " no longer holds its log after tick " + from + " (410: "
                        + e.errorMessage() + ")");
            }
            throw e;
        }
        List<LogEntry> entries = new ArrayList<>();
        for (JsonNode e : p.path("entries")) {
            entries.add(entry(e));
        }
        long lastIncluded = p.path("lastIncluded").asLong(from);
        if (!entries.isEmpty() && entries.get(entries.size() - 1).tick() > lastIncluded) {
            throw new IllegalStateException("the primary " + node.url() + " answered entries past its lastIncluded");
        }
        return new Page(requireServerId(p), entries, lastIncluded, p.path("lastTick").asLong(lastIncluded),
                p.path("checkMore").asBoolean(false));
    }

    static LogEntry entry(JsonNode e) {
        long tick = e.path("tick").asLong();
        String op = e.path("op").asText();
        JsonNode version = e.path("version");
        JsonNode doc = e.path("doc");
        String key = e.path("key").asText();
        String collection = CollectionName.requireCollection(e.path("collection").asText(), "log entry " + tick);
        if (!DocumentKey.isValid(key)) {
            throw new IllegalStateException("log entry " + tick + " has an illegal document key");
        }
        if (op.equals(LogEntry.PUT) && !(doc instanceof ObjectNode)) {
            throw new IllegalStateException("log entry " + tick + " is a put without a document");
        }
        if (!op.equals(LogEntry.PUT) && !op.equals(LogEntry.DELETE)) {
            throw new IllegalStateException("log entry " + tick + " has the unknown op '" + ApiException.printable(op) + "'");
        }
        JsonNode time = e.path("time");
        Instant written;
        try {
            written = time.isTextual() ? Instant.parse(time.asText()) : null;
        } catch (DateTimeParseException bad) {
            throw new IllegalStateException("log entry " + tick + " has an unreadable time", bad);
        }
        return new LogEntry(tick, collection, key, version.isMissingNode() || version.isNull() ? null
                : new BigInteger(version.asText()), op, op.equals(LogEntry.PUT) ? doc.toString() : null, written);
    }

    private String requireServerId(JsonNode answer) {
        String id = answer.path("serverId").asText("");
        if (id.isEmpty()) {
            throw new IllegalStateException(node.url() + " answered without a serverId: not a Tributary node with a change log");
        }
        return id;
    }

    private JsonNode call(String path, Duration timeout) {
        NodeClient.Answer answer;
        try {
            answer = node.send("GET", path, null, timeout, stopping);
        } catch (NodeUnreachable e) {
            throw new IllegalStateException("the primary " + node.url() + " cannot be reached: " + e.getMessage());
        }
        try {
            return answer.json();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("the primary " + node.url() + " answered a body that is not JSON");
        }
    }
}
