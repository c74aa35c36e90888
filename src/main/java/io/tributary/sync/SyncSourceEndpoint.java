package io.tributary.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.DocumentKey;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import io.tributary.http.RequestFields;
import io.tributary.http.RequestPath;
import io.tributary.http.StreamedBody;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.KeyChunk;
import io.tributary.keyrange.KeyHash;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.offline.BackupPlan;
import io.tributary.offline.CollectionPartitions;
import io.tributary.offline.Selection;
import io.tributary.offline.SourceIdentity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The source side of collection sync, served next to the import endpoint with the same credentials
 * (routes in {@code routes/collection-sync.camel.yaml}): key ranges with hashes, per-key hashes and
 * documents by key or by page; for an online copy by partition, a selection's partitions and one partition's
 * documents. Every request is one bounded read (the caller paginates by key), but a partition: its
 * documents stream, a chunk in memory at a time.
 */
public class SyncSourceEndpoint implements CamelContextAware {

    /** What each request takes, and nothing else: a misspelled parameter would otherwise read the default. */
    private static final Set<String> RANGES_PARAMETERS = Set.of("after", "upTo", "chunkSize", "chunks", "hash");
    private static final Set<String> KEYS_PARAMETERS = Set.of("after", "upTo", "limit", "hash");
    private static final Set<String> DOCUMENTS_FIELDS = Set.of("keys", "after", "limit");
    /** Upper bounds per request, so one request cannot make the node read or hold unbounded data. */
    static final int MAX_KEYS = 10_000;
    static final long MAX_RANGE_ROWS = 1_000_000;
    /**
     * Documents of one answer, in characters of JSON, beyond which the rest is left to the next request
     * ({@code "hasMore": true}); an answer always holds at least one document, however large. Reading
     * stops there too, so a page of large documents is never held whole.
     */
    static final long MAX_ANSWER_CHARS = 16L * 1024 * 1024;

    /** Partitions streamed at once, at most (each holds a snapshot of the store); more wait their turn. */
    static final int MAX_STREAMS = SyncSpec.MAX_PARALLEL;
    /** How long a partition's stream waits for a client that stopped reading before it lets go of its snapshot. */
    static final long STALL_MILLIS = 120_000;
    private static final Set<String> SELECTION_FIELDS = Set.of("filter", "columns", "partitionBy");
    private static final Set<String> PARTITION_FIELDS = Set.of("filter", "columns", "partitionBy", "partition");

    private CollectionStore store;
    private DataSource storeDataSource;
    private CamelContext camelContext;
    private ExecutorService streams;

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    /** The central store's database: names the collection in a plan's {@code identity}, as a backup records it. */
    public void setStoreDataSource(DataSource storeDataSource) {
        this.storeDataSource = storeDataSource;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * {@code POST .../_api/tributary/sync/{collection}/plan} with {@code {filter, columns, partitionBy}} (as a
     * backup of the collection takes them): the selection's partitions, each {@code {name, bounds, rows}},
     * found in one snapshot (docs/collection-sync.md, "Online copy by partition"), and the collection's
     * {@code identity} ({@link SourceIdentity}).
     */
    public void plan(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode body = RequestFields.object(in.getBody(String.class), "plan body", "'filter', 'columns', 'partitionBy'",
                SELECTION_FIELDS);
        CollectionPartitions partitions = partitions(in, body);
        List<BackupPlan> plans = partitions.plan(new JobControl(0));
        // the collection as this node's backup of it would name it, so a backup made by another node is
        // refused when restored onto this very collection
        String identity = storeDataSource == null ? null : SourceIdentity.ofCollection(storeDataSource,
                RequestPath.database(in), RequestPath.parameter(in, "collection"));
        respond(in, g -> {
            g.writeObjectField("partitions", plans); // {name, bounds, rows} each
            if (identity != null) {
                g.writeStringField("identity", identity);
            }
        });
    }

    /**
     * {@code POST .../_api/tributary/sync/{collection}/partition} with the plan's selection and one of its
     * {@code partition}s: the partition's documents as JSON Lines, read in a snapshot of their own and sent
     * while read, then the line {@code {"end":true,"rows":n}}; a body without it was cut short.
     */
    public void partition(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode body = RequestFields.object(in.getBody(String.class), "partition body", "'partition'", PARTITION_FIELDS);
        CollectionPartitions partitions = partitions(in, body);
        BackupPlan plan = partitions.requested(body.get("partition"));
        JobControl control = new JobControl(0);
        StreamedBody answer = StreamedBody.start(streams(), STALL_MILLIS, out -> {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                g.setRootValueSeparator(new SerializedString("\n"));
                long rows = partitions.read(plan, doc -> write(g, doc), control);
                g.writeObject(Json.MAPPER.createObjectNode().put("end", true).put("rows", rows));
                g.writeRaw('\n');
            }
        });
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        in.setHeader(Exchange.CONTENT_TYPE, "application/x-ndjson");
        in.setBody(answer);
    }

    private static void write(JsonGenerator g, JsonNode doc) {
        try {
            g.writeTree(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The collection's selection as the request's body gives it; a missing collection is a 404. */
    private CollectionPartitions partitions(Message in, JsonNode body) {
        Selection selection = Selection.parse(body, false);
        String collection = CollectionName.requireCollection(RequestPath.parameter(in, "collection"), "it in the path");
        return new CollectionPartitions(store.collection(RequestPath.database(in), collection, false), selection);
    }

    private synchronized ExecutorService streams() {
        if (streams == null) {
            streams = camelContext.getExecutorServiceManager().newFixedThreadPool(this, "tributary-sync-partition", MAX_STREAMS);
        }
        return streams;
    }

    /** {@code GET .../_api/tributary/sync/{collection}/ranges?after=&upTo=&chunkSize=&chunks=}. */
    public void ranges(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> q = QueryString.known(in.getHeader(Exchange.HTTP_QUERY, String.class), RANGES_PARAMETERS);
        int chunkSize = number(q, "chunkSize", 1000, 1, MAX_KEYS);
        int chunks = number(q, "chunks", 100, 1, 10_000);
        if ((long) chunkSize * chunks > MAX_RANGE_ROWS) {
            throw ApiException.badParameter("chunkSize * chunks must not exceed " + MAX_RANGE_ROWS);
        }
        List<KeyChunk> list = hashed(source(in), q).chunks(key(q, "after"), key(q, "upTo"), chunkSize, chunks);
        respond(in, g -> {
            g.writeStringField("hash", q.getOrDefault("hash", "version"));
            g.writeObjectField("chunks", list); // {high, count, hash} each
        });
    }

    /** {@code GET .../_api/tributary/sync/{collection}/keys?after=&upTo=&limit=}: {@code [[key, hash], ...]}. */
    public void keys(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> q = QueryString.known(in.getHeader(Exchange.HTTP_QUERY, String.class), KEYS_PARAMETERS);
        List<KeyHash> list = hashed(source(in), q).keyHashes(key(q, "after"), key(q, "upTo"), number(q, "limit", 1000, 1, MAX_KEYS));
        respond(in, g -> {
            g.writeStringField("hash", q.getOrDefault("hash", "version"));
            g.writeObjectField("keys", list.stream().map(k -> List.of(k.key(), k.hash())).toList());
        });
    }

    /**
     * {@code POST .../_api/tributary/sync/{collection}/documents} with {@code {"keys":[...]}} (those that
     * exist) or {@code {"after":"k","limit":1000}} (the next page in key order).
     */
    public void documents(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode body;
        try {
            byte[] bytes = in.getBody(byte[].class);
            body = Json.MAPPER.readTree(bytes == null ? new byte[0] : bytes);
        } catch (IOException e) {
            throw new ApiException(400, ApiException.CORRUPTED_JSON, "body is not JSON: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badParameter("body must be {\"keys\":[...]} or {\"after\":\"key\",\"limit\":n}");
        }
        RequestFields.requireKnown(body, DOCUMENTS_FIELDS, "");
        JdbcKeyRanges.Documents docs;
        if (body.has("keys")) {
            JsonNode keys = body.get("keys");
            if (!keys.isArray() || keys.size() > MAX_KEYS) {
                throw ApiException.badParameter("'keys' must be an array of at most " + MAX_KEYS + " keys");
            }
            List<String> list = new ArrayList<>(keys.size());
            for (JsonNode k : keys) {
                list.add(requireKey(k.asText(null)));
            }
            docs = source(in).documents(list, MAX_ANSWER_CHARS);
        } else {
            String after = body.hasNonNull("after") ? requireKey(body.get("after").asText()) : null;
            int limit = body.path("limit").asInt(1000);
            if (limit < 1 || limit > MAX_KEYS) {
                throw ApiException.badParameter("'limit' must be between 1 and " + MAX_KEYS);
            }
            docs = source(in).page(after, limit, MAX_ANSWER_CHARS);
        }
        respond(in, g -> {
            g.writeArrayFieldStart("documents");
            for (VersionedDocument d : docs.docs()) {
                g.writeStartObject();
                g.writeStringField("_key", d.key());
                if (d.version() == null) {
                    g.writeNullField("_version");
                } else {
                    g.writeNumberField("_version", d.version());
                }
                g.writeFieldName("doc");
                g.writeRawValue(d.json()); // stored documents are JSON objects already
                g.writeEndObject();
            }
            g.writeEndArray();
            if (docs.cut()) {
                // the rest in the next request: by page after the last key sent, by key the keys not sent
                g.writeBooleanField("hasMore", true);
            }
        });
    }

    private JdbcKeyRanges source(Message in) {
        String collection = CollectionName.requireCollection(RequestPath.parameter(in, "collection"), "it in the path");
        // looked up per request, so a missing collection is still a 404
        return store.collection(RequestPath.database(in), collection, false).ranges();
    }

    /** {@code hash=content}: hash rows by content even where they carry a version (a source's verify). */
    private static JdbcKeyRanges hashed(JdbcKeyRanges source, Map<String, String> q) {
        String hash = q.getOrDefault("hash", "version");
        if (!hash.equals("version") && !hash.equals("content")) {
            throw ApiException.badParameter("parameter 'hash' must be 'version' or 'content'");
        }
        return hash.equals("content") ? source.byContent() : source;
    }

    private static String key(Map<String, String> q, String name) {
        String v = q.get(name);
        return v == null || v.isEmpty() ? null : requireKey(v);
    }

    private static String requireKey(String key) {
        if (!DocumentKey.isValid(key)) {
            throw new ApiException(400, ApiException.DOCUMENT_KEY_BAD, "illegal document key");
        }
        return key;
    }

    private static int number(Map<String, String> q, String name, int defaultValue, int min, int max) {
        return (int) QueryString.number(q, name, defaultValue, min, max);
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void respond(Message in, Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeBooleanField("error", false);
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonResponse.send(in, 200, out.toString());
    }
}
