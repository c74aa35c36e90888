package io.tributary.twoway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A central collection of this node as one side of a two-way pair, through {@link CollectionStore} only.
 * The row's time and content hash are the document's {@code _version} ({@link TwoWayVersion}), so the
 * store's versioned upsert is the newer-wins rule and a time range is a version range.
 */
final class CentralCollectionStore implements TwoWayStore {

    private final CollectionStore store;
    private final String database;
    private final String collection;
    private final CollectionDocuments documents;
    private final StoredCollection stored;

    CentralCollectionStore(CollectionStore store, String database, String collection, CollectionDocuments documents) {
        this.store = store;
        this.database = database;
        this.collection = collection;
        this.documents = documents;
        this.stored = store.collection(database, collection, true);
        stored.indexVersions(); // a run reads the documents changed in its range, not the collection
    }

    @Override
    public String name() {
        return "collection " + database + "/" + collection;
    }

    @Override
    public Optional<LocalDateTime> settled(long safetyLagMs) {
        return Optional.empty();
    }

    @Override
    public List<TwoWayRow> changed(LocalDateTime after, LocalDateTime upTo, TwoWayRow cursor, int limit) {
        BigInteger from = TwoWayVersion.highest(TwoWayVersion.micros(after));
        BigInteger to = TwoWayVersion.highest(TwoWayVersion.micros(upTo));
        List<VersionedDocument> docs = cursor == null ? stored.versionRange(from, to, null, null, limit)
                : stored.versionRange(from, to, TwoWayVersion.of(cursor.time(), cursor.hash()), cursor.key().toString(), limit);
        List<TwoWayRow> rows = new ArrayList<>(docs.size());
        for (VersionedDocument doc : docs) {
            try {
                rows.add(documents.row(doc.key(), doc.version(), Json.MAPPER.readTree(doc.json())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored document is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        return rows;
    }

    @Override
    public Applied apply(List<TwoWayRow> rows) {
        List<VersionedDocument> docs = new ArrayList<>(rows.size());
        for (TwoWayRow r : rows) {
            ObjectNode doc = documents.document(r);
            docs.add(new VersionedDocument(r.key().toString(), TwoWayVersion.of(r.time(), r.hash()), doc.toString()));
        }
        Map<String, BigInteger> before = new HashMap<>();
        store.documents(database, collection, docs.stream().map(VersionedDocument::key).toList())
                .forEach((key, doc) -> before.put(key, CollectionDocuments.version(doc)));
        StoredCollection.Written w = stored.upsert(docs);
        return documents.applied(rows, before, w.written(), w.keptNewer() + w.unchanged() + w.conflicts());
    }
}
