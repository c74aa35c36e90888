package io.tributary.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.keyrange.KeyChunk;
import io.tributary.keyrange.KeyHash;
import io.tributary.keyrange.KeyRanges;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.node.NodeClient;
import io.tributary.node.SourceNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Another Tributary node's collection as key ranges, read over its sync API ({@code /_api/tributary/sync/...},
 * served by {@link SyncSourceEndpoint}) through {@link SourceNode}. The protocol is this class, so it lives
 * here rather than in a route. Its partitions, for an online copy, are {@link io.tributary.offline.NodePartitions}.
 */
public final class RemoteCentralSource implements KeyRanges {

    private final SourceNode node;
    /** Query parameter asking for content hashes ({@link #byContent()}), else empty. */
    private String hashes = "";

    /**
     * @param url        the source node, e.g. {@code http://central-a:8529}
     * @param database   the source database ({@code _system} by default)
     * @param collection the source collection, validated by the caller
     */
    public RemoteCentralSource(String url, String database, String collection, String username, String password,
                               JobControl control) {
        this.node = new SourceNode(url, database, collection, username, password, control);
    }

    /** Ranges and keys hashed by content even where rows carry a version: what a source's verify compares. */
    public RemoteCentralSource byContent() {
        hashes = "hash=content&";
        return this;
    }

    /** A node of an older version ignores {@code hash=content}: every versioned row would seem to differ. */
    private JsonNode hashedAsAsked(JsonNode answer) {
        if (!hashes.isEmpty() && !"content".equals(answer.path("hash").asText())) {
            throw new IllegalStateException("Source " + node.collectionUrl() + " does not hash by content: it runs an older Tributary");
        }
        return answer;
    }

    @Override
    public long count() {
        return node.count();
    }

    @Override
    public List<KeyChunk> chunks(String after, String upTo, int chunkSize, int maxChunks) {
        JsonNode answer = hashedAsAsked(node.get("/ranges?" + hashes + query("after", after) + query("upTo", upTo)
                + "chunkSize=" + chunkSize + "&chunks=" + maxChunks));
        return each(answer.path("chunks"),
                c -> new KeyChunk(c.path("high").asText(), c.path("count").asLong(), c.path("hash").asText()));
    }

    @Override
    public List<KeyHash> keyHashes(String after, String upTo, int limit) {
        JsonNode answer = hashedAsAsked(node.get("/keys?" + hashes + query("after", after) + query("upTo", upTo) + "limit=" + limit));
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
        return node.bytesReceived();
    }

    @Override
    public long bytesSent() {
        return node.bytesSent();
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

    private JsonNode post(ObjectNode body) {
        return node.post("/documents", NodeClient.json(body), false);
    }
}
