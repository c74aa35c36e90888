package io.tributary.twoway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows as the documents of a collection and back, for a collection of this node and of another node alike:
 * {@code _key} is the key's text, every column an attribute, {@code _version} the row's time and content hash
 * ({@link TwoWayVersion}).
 */
final class CollectionDocuments {

    private final String keyAttribute;
    private final String timeAttribute;
    private final String deleted;

    CollectionDocuments(String keyAttribute, String timeAttribute, String deletedAttribute) {
        this.keyAttribute = keyAttribute;
        this.timeAttribute = timeAttribute;
        this.deleted = deletedAttribute;
    }

    ObjectNode document(TwoWayRow r) {
        ObjectNode doc = Json.MAPPER.createObjectNode().put("_key", r.key().toString());
        r.values().forEach((name, v) -> doc.set(name, json(name.equals(timeAttribute) ? r.time() : v)));
        doc.put("_version", new BigDecimal(TwoWayVersion.of(r.time(), r.hash())));
        return doc;
    }

    TwoWayRow row(String key, BigInteger version, JsonNode json) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().startsWith("_")) {
                values.put(f.getKey(), value(f.getValue()));
            }
        }
        LocalDateTime time = TwoWayVersion.timeOf(version);
        values.put(keyAttribute, key);
        values.put(timeAttribute, time);
        return new TwoWayRow(key, time, TwoWayVersion.hashOf(version), values);
    }

    /**
     * Ties and tombstones of a versioned write, from the versions stored before it (read only for this report:
     * the store's versioned upsert decides by version alone).
     *
     * @param before the stored {@code _version} of each key that existed, null for a document without one
     */
    TwoWayStore.Applied applied(List<TwoWayRow> rows, Map<String, BigInteger> before, long applied, long skipped) {
        long ties = 0;
        long tombstones = 0;
        for (TwoWayRow r : rows) {
            BigInteger incoming = TwoWayVersion.of(r.time(), r.hash());
            BigInteger was = before.get(r.key().toString());
            if (was != null && !was.equals(incoming) && was.divide(TwoWayVersion.SHIFT).equals(incoming.divide(TwoWayVersion.SHIFT))) {
                ties++;
            }
            tombstones += (was == null || incoming.compareTo(was) > 0) && r.deleted(deleted) ? 1 : 0;
        }
        return new TwoWayStore.Applied(applied, skipped, ties, tombstones);
    }

    /** The stored {@code _version} of a document, null without one. */
    static BigInteger version(JsonNode doc) {
        return doc == null || !doc.hasNonNull("_version") ? null : doc.get("_version").bigIntegerValue();
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

    private static JsonNode json(Object v) {
        if (v instanceof LocalDateTime || v instanceof LocalDate || v instanceof Date) {
            return Json.MAPPER.getNodeFactory().textNode(v.toString());
        }
        return Json.MAPPER.valueToTree(v);
    }
}
