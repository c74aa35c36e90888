package io.tributary.twoway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.job.JobControl;
import io.tributary.node.NodeClient;
import io.tributary.node.NodeCredentials;
import io.tributary.node.NodeErrorAnswer;
import io.tributary.node.NodeUnreachable;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A collection of another Tributary node as one side of a two-way pair: read by version range
 * ({@code /_api/tributary/two-way/{collection}/changes}), written by that node's import with a versioned
 * replace ({@code versionAttribute=_version}: a higher version wins there, in its one transaction per request).
 * Errors name the node's URL and status, never what it sent.
 */
final class RemoteCollectionStore implements TwoWayStore {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final NodeClient node;
    private final String database;
    private final String collection;
    private final CollectionDocuments documents;
    private final JobControl control;

    RemoteCollectionStore(String url, String database, String collection, String username, String password,
                          CollectionDocuments documents, JobControl control) {
        this.node = new NodeClient(url, password == null || password.isEmpty() ? new NodeCredentials(null, null)
                : new NodeCredentials(username == null ? "root" : username, password), CONNECT_TIMEOUT);
        this.database = database;
        this.collection = collection;
        this.documents = documents;
        this.control = control;
    }

    @Override
    public String name() {
        return "collection " + database + "/" + collection + " of " + node.url();
    }

    @Override
    public Optional<LocalDateTime> settled(long safetyLagMs) {
        return Optional.empty();
    }

    private String base() {
        return "/_db/" + database;
    }

    @Override
    public List<TwoWayRow> changed(LocalDateTime after, LocalDateTime upTo, TwoWayRow cursor, int limit) {
        String path = base() + "/_api/tributary/two-way/" + collection + "/changes?after="
                + TwoWayVersion.highest(TwoWayVersion.micros(after)) + "&upTo=" + TwoWayVersion.highest(TwoWayVersion.micros(upTo))
                + "&limit=" + limit + (cursor == null ? "" : "&afterVersion=" + TwoWayVersion.of(cursor.time(), cursor.hash())
                + "&afterKey=" + URLEncoder.encode(cursor.key().toString(), StandardCharsets.UTF_8));
        JsonNode answer = call(() -> node.get(path, control.remaining()).json(), true);
        List<TwoWayRow> rows = new ArrayList<>();
        if (answer != null) {
            for (JsonNode d : answer.path("documents")) {
                rows.add(documents.row(d.path("key").asText(), new BigInteger(d.path("version").asText()), d.path("doc")));
            }
        }
        return rows;
    }

    @Override
    public Applied apply(List<TwoWayRow> rows) {
        List<String> keys = rows.stream().map(r -> r.key().toString()).toList();
        Map<String, BigInteger> before = new HashMap<>();
        JsonNode stored = call(() -> node.send("PUT", base() + "/_api/document/" + collection + "?onlyget=true",
                NodeClient.json(keys), control.remaining()).json(), true);
        if (stored != null) {
            for (JsonNode doc : stored) {
                if (doc.hasNonNull("_key")) {
                    before.put(doc.get("_key").asText(), CollectionDocuments.version(doc));
                }
            }
        }
        List<Object> docs = new ArrayList<>(rows.size());
        rows.forEach(r -> docs.add(documents.document(r)));
        JsonNode result = call(() -> node.send("POST", base() + "/_api/import?collection=" + collection
                + "&type=array&createCollection=true&complete=true&onDuplicate=replace&versionAttribute=_version",
                NodeClient.json(docs), control.remaining()).json(), false);
        long applied = result.path("created").asLong() + result.path("updated").asLong();
        return documents.applied(rows, before, applied, result.path("ignored").asLong());
    }

    /** The answer; null for a 404 when {@code missingIsEmpty} (the collection does not exist yet). */
    private JsonNode call(Supplier<JsonNode> request, boolean missingIsEmpty) {
        try {
            return request.get();
        } catch (NodeErrorAnswer e) {
            if (missingIsEmpty && e.status() == 404) {
                return null;
            }
            throw new IllegalStateException(name() + " answered HTTP " + e.status() + " (errorNum " + e.errorNum() + ")");
        } catch (NodeUnreachable e) {
            throw new IllegalStateException(name() + " cannot be reached" + (e.timedOut() ? " (timed out)" : ""));
        }
    }
}
