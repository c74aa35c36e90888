package io.tributary.twoway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A central collection of this node as one side of a two-way pair, through {@link CollectionStore} only.
 * A document is a row: {@code _key} is the key's text, every column an attribute (lower-case names), and
 * the row's time and content hash are its {@code _version} ({@link TwoWayVersion}), so the store's versioned
 * upsert is the newer-wins rule and a time range is a version range.
 */
final class CentralCollectionStore implements TwoWayStore {

    private final CollectionStore store;
    private final String database;
    private final String collection;
    private final String keyAttribute;
    private final String timeAttribute;
    private final String deleted;
    private final StoredCollection stored;

    CentralCollectionStore(CollectionStore store, String database, String collection, String keyAttribute,
                           String timeAttribute, String deletedAttribute) {
        this.store = store;
        this.database = database;
        this.collection = collection;
        this.keyAttribute = keyAttribute;
        this.timeAttribute = timeAttribute;
        this.deleted = deletedAttribute;
        this.stored = store.collection(database, collection, true);
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
            rows.add(row(doc));
        }
        return rows;
    }

    private TwoWayRow row(VersionedDocument doc) {
        JsonNode json = parse(doc.json());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().startsWith("_")) {
                values.put(f.getKey(), value(f.getValue()));
            }
        }
        LocalDateTime time = TwoWayVersion.timeOf(doc.version());
        values.put(keyAttribute, doc.key());
        values.put(timeAttribute, time);
        return new TwoWayRow(doc.key(), time, TwoWayVersion.hashOf(doc.version()), values);
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    @Override
    public Applied apply(List<TwoWayRow> rows) {
        List<VersionedDocument> docs = new ArrayList<>(rows.size());
        for (TwoWayRow r : rows) {
            BigInteger version = TwoWayVersion.of(r.time(), r.hash());
            ObjectNode doc = Json.MAPPER.createObjectNode().put("_key", r.key().toString());
            r.values().forEach((name, v) -> doc.set(name, json(name.equals(timeAttribute) ? r.time() : v)));
            doc.put("_version", new BigDecimal(version));
            docs.add(new VersionedDocument(r.key().toString(), version, doc.toString()));
        }
        // only for the report: the store's upsert decides by version alone
        Map<String, ObjectNode> before = store.documents(database, collection, docs.stream().map(VersionedDocument::key).toList());
        StoredCollection.Written w = stored.upsert(docs);
        long ties = 0;
        long tombstones = 0;
        for (int i = 0; i < rows.size(); i++) {
            ObjectNode was = before.get(docs.get(i).key());
            BigInteger wasVersion = was == null || !was.hasNonNull("_version") ? null : was.get("_version").bigIntegerValue();
            boolean wins = wasVersion == null || docs.get(i).version().compareTo(wasVersion) > 0;
            if (wasVersion != null && !wasVersion.equals(docs.get(i).version())
                    && wasVersion.divide(TwoWayVersion.SHIFT).equals(docs.get(i).version().divide(TwoWayVersion.SHIFT))) {
                ties++;
            }
            tombstones += wins && rows.get(i).deleted(deleted) ? 1 : 0;
        }
        return new Applied(w.written(), w.keptNewer() + w.unchanged() + w.conflicts(), ties, tombstones);
    }

    private static JsonNode json(Object v) {
        if (v instanceof LocalDateTime t) {
            return Json.MAPPER.getNodeFactory().textNode(t.toString());
        }
        if (v instanceof LocalDate d) {
            return Json.MAPPER.getNodeFactory().textNode(d.toString());
        }
        if (v instanceof Date d) {
            return Json.MAPPER.getNodeFactory().textNode(d.toString());
        }
        return Json.MAPPER.valueToTree(v);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored document is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
