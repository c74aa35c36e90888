package io.tributary.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.keyrange.KeyChunk;
import io.tributary.keyrange.KeyHash;
import io.tributary.keyrange.KeyRanges;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.node.NodeClient;
import io.tributary.node.NodeCredentials;
import io.tributary.node.NodeErrorAnswer;
import io.tributary.node.NodeUnreachable;
import io.tributary.offline.BackupPlan;
import io.tributary.offline.OnlineCopy;
import io.tributary.offline.Selection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.net.ssl.SSLException;

/**
 * Another Tributary node's collection, read over its sync API ({@code /_api/tributary/sync/...}, served
 * by {@link SyncSourceEndpoint}) with the same Basic credentials as its import endpoint. The protocol is
 * this class, so it lives here rather than in a route. Every request is bounded by the sync's remaining
 * wait time and abandoned when the sync is cancelled.
 */
public final class RemoteCentralSource implements KeyRanges {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final NodeClient node;
    /** The source node's URL as configured: errors name it, never the remote's answer. */
    private final String origin;
    private final String base;
    private final String countPath;
    private final JobControl control;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    /** Query parameter asking for content hashes ({@link #byContent()}), else empty. */
    private String hashes = "";

    /**
     * @param url        the source node, e.g. {@code http://central-a:8529}
     * @param database   the source database ({@code _system} by default)
     * @param collection the source collection, validated by the caller
     */
    public RemoteCentralSource(String url, String database, String collection, String username, String password,
                               JobControl control) {
        // no password, no header: a node without a password accepts anonymous requests
        this.node = new NodeClient(url, password == null || password.isEmpty() ? new NodeCredentials(null, null)
                : new NodeCredentials(username == null ? "root" : username, password), CONNECT_TIMEOUT);
        this.origin = node.url();
        this.base = "/_db/" + database + "/_api/tributary/sync/" + collection;
        this.countPath = "/_db/" + database + "/_api/collection/" + collection + "/count";
        this.control = control;
    }

    /** Ranges and keys hashed by content even where rows carry a version: what a source's verify compares. */
    public RemoteCentralSource byContent() {
        hashes = "hash=content&";
        return this;
    }

    /** A node of an older version ignores {@code hash=content}: every versioned row would seem to differ. */
    private JsonNode hashedAsAsked(JsonNode answer) {
        if (!hashes.isEmpty() && !"content".equals(answer.path("hash").asText())) {
            throw new IllegalStateException("Source " + origin + base + " does not hash by content: it runs an older Tributary");
        }
        return answer;
    }

    @Override
    public long count() {
        return send("GET", countPath, null).path("count").asLong();
    }

    @Override
    public List<KeyChunk> chunks(String after, String upTo, int chunkSize, int maxChunks) {
        JsonNode answer = hashedAsAsked(get("/ranges?" + hashes + query("after", after) + query("upTo", upTo)
                + "chunkSize=" + chunkSize + "&chunks=" + maxChunks));
        return each(answer.path("chunks"),
                c -> new KeyChunk(c.path("high").asText(), c.path("count").asLong(), c.path("hash").asText()));
    }

    @Override
    public List<KeyHash> keyHashes(String after, String upTo, int limit) {
        JsonNode answer = hashedAsAsked(get("/keys?" + hashes + query("after", after) + query("upTo", upTo) + "limit=" + limit));
        return each(answer.path("keys"), k -> new KeyHash(k.get(0).asText(), k.get(1).asText()));
    }

    @Override
    public List<VersionedDocument> documents(List<String> keys) {
        List<VersionedDocument> docs = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += SyncSourceEndpoint.MAX_KEYS) {
            List<String> wanted = new ArrayList<>(keys.subList(from, Math.min(keys.size(), from + SyncSourceEndpoint.MAX_KEYS)));
            while (!wanted.isEmpty()) {
                JsonNode answer = post(Json.MAPPER.createObjectNode().set("keys", Json.MAPPER.valueToTree(wanted)));
                List<VersionedDocument> got = read(answer);
                docs.addAll(got);
                if (!answer.path("hasMore").asBoolean(false) || got.isEmpty()) {
                    break;
                }
                // the answer was cut short by size: ask again for the keys it did not hold
                wanted.removeAll(got.stream().map(VersionedDocument::key).collect(Collectors.toSet()));
            }
        }
        return docs;
    }

    /** The next documents in key order; fewer than {@code limit} when the source cut its answer short by size. */
    @Override
    public List<VersionedDocument> page(String after, int limit) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("limit", limit);
        if (after != null) {
            body.put("after", after);
        }
        return read(post(body));
    }

    @Override
    public long bytesReceived() {
        return received.get();
    }

    @Override
    public long bytesSent() {
        return sent.get();
    }

    /**
     * The source collection's {@code selection}, read partition by partition for an online copy
     * ({@code .../plan}, then {@code .../partition} per partition, served by {@link SyncSourceEndpoint}).
     */
    public OnlineCopy.Source partitions(Selection selection) {
        ObjectNode asked = Json.MAPPER.createObjectNode();
        selection.write(asked);
        // every request is bounded by this source's control: the job's, as the copy's
        return new OnlineCopy.Source() {
            private String identity;

            @Override
            public List<BackupPlan> plan(JobControl job) {
                JsonNode answer = send("POST", base + "/plan", NodeClient.json(asked), true);
                identity = answer.path("identity").isTextual() ? answer.get("identity").asText() : null;
                return each(answer.path("partitions"), p -> new BackupPlan(p.path("name").asText(),
                        p.path("bounds").isObject() ? (ObjectNode) p.get("bounds") : Json.MAPPER.createObjectNode(),
                        p.path("rows").asLong()));
            }

            @Override
            public long read(BackupPlan plan, Consumer<ObjectNode> out, JobControl job) {
                ObjectNode body = asked.deepCopy();
                body.set("partition", Json.MAPPER.valueToTree(plan));
                return partition(plan.name(), NodeClient.json(body), out);
            }

            @Override
            public String identity() {
                return identity;
            }
        };
    }

    /** Streams one partition's documents to {@code out}; throws unless the source's closing line came. */
    private long partition(String name, byte[] body, Consumer<ObjectNode> out) {
        control.check();
        String path = base + "/partition";
        String cut = "Source " + origin + " ended partition '" + ApiException.printable(name) + "' before its end (the"
                + " source failed, or the connection broke); nothing of the partition was written";
        long rows = 0;
        try (InputStream in = node.stream("POST", path, body, control.remaining(), control::isCancelled);
             MappingIterator<ObjectNode> lines = Json.MAPPER.readerFor(ObjectNode.class).readValues(in)) {
            count(path, body, 0);
            while (lines.hasNextValue()) {
                ObjectNode line = lines.nextValue();
                if (!line.has("_key")) {
                    if (!line.path("end").asBoolean(false) || line.path("rows").asLong(-1) != rows) {
                        throw new IllegalStateException(cut);
                    }
                    return rows;
                }
                control.check();
                out.accept(line);
                rows++;
            }
            throw new IllegalStateException(cut);
        } catch (NodeErrorAnswer | NodeUnreachable | CancellationException e) {
            throw failure(path, body, e, false);
        } catch (IOException | RuntimeJsonMappingException e) {
            control.check(); // a cancel or the job's time limit closed the answer
            throw new IllegalStateException(cut);
        }
    }

    private static List<VersionedDocument> read(JsonNode answer) {
        return each(answer.path("documents"), d -> {
            JsonNode version = d.path("_version");
            return new VersionedDocument(d.path("_key").asText(),
                    version.isMissingNode() || version.isNull() ? null : version.bigIntegerValue(), d.path("doc").toString());
        });
    }

    private static <T> List<T> each(JsonNode array, Function<JsonNode, T> item) {
        return StreamSupport.stream(array.spliterator(), false).map(item).toList();
    }

    private static String query(String name, String value) {
        return value == null ? "" : name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&";
    }

    private JsonNode get(String path) {
        return send("GET", base + path, null);
    }

    private JsonNode post(ObjectNode body) {
        return send("POST", base + "/documents", NodeClient.json(body));
    }

    private JsonNode send(String method, String path, byte[] body) {
        return send(method, path, body, false);
    }

    /** @param quoteRefusal a 400 answer's message is the job's error (the source judged the selection) */
    private JsonNode send(String method, String path, byte[] body, boolean quoteRefusal) {
        control.check();
        NodeClient.Answer answer;
        try {
            answer = node.send(method, path, body, control.remaining(), control::isCancelled);
        } catch (NodeErrorAnswer | NodeUnreachable | CancellationException e) {
            throw failure(path, body, e, quoteRefusal);
        }
        count(path, body, answer.body().length);
        try {
            return answer.json();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Source " + origin + " answered HTTP 200 with a body that is not JSON"
                    + " (not a Tributary node?)");
        }
    }

    /** What a failed request ends the job with. */
    private RuntimeException failure(String path, byte[] body, RuntimeException e, boolean quoteRefusal) {
        if (e instanceof NodeErrorAnswer answer) {
            count(path, body, answer.bodyBytes());
            if (quoteRefusal && answer.status() == 400 && !answer.errorMessage().isEmpty()) {
                // the source's judgement of the selection (an attribute no document has, a date that is none)
                return new IllegalStateException("Source " + origin + " refused the selection: "
                        + ApiException.printable(answer.errorMessage(), 300));
            }
            return new IllegalStateException("Source " + origin + " answered HTTP " + answer.status() + ": "
                    + meaning(answer.status()));
        }
        if (e instanceof NodeUnreachable unreachable) {
            if (unreachable.timedOut()) {
                return control.isCancelled() ? control.stopped() : control.timeout();
            }
            // the cause's message may quote what the other side sent (a database's greeting): not shown
            return new IllegalStateException("Source " + origin + (unreachable.getCause() instanceof ConnectException
                    ? " cannot be reached (connection failed)" : unreachable.getCause() instanceof SSLException
                    ? " failed the TLS handshake" : " did not answer as a Tributary node over HTTP"));
        }
        return control.stopped();
    }

    private void count(String path, byte[] body, int answerBytes) {
        sent.addAndGet((body == null ? 0 : body.length) + origin.length() + path.length());
        received.addAndGet(answerBytes);
    }

    /**
     * A fixed description per status: the remote's own words are never repeated, so a job's error cannot
     * carry what some other service at that address sent.
     */
    private static String meaning(int status) {
        return switch (status) {
            case 401 -> "credentials refused (check the source username and password)";
            case 403 -> "forbidden";
            case 404 -> "no such database or collection there (or not a Tributary node)";
            case 400 -> "request refused (is the source node running the same Tributary version?)";
            case 413 -> "request too large";
            case 503 -> "unavailable (stopping or overloaded)";
            default -> status >= 500 ? "the source node failed" : "unexpected answer";
        };
    }
}
