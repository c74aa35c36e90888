package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;

/**
 * A collection backup's attribute filter: documents whose {@code attribute} lies in {@code [from, to)}.
 * Numbers compare as numbers; anything else as text, which orders ISO dates and times correctly. A document
 * without the attribute is outside. Either end may be left open (null).
 */
record AttributeRange(String attribute, JsonNode from, JsonNode to) {

    AttributeRange {
        if (from == null && to == null) {
            throw ApiException.badParameter("'filter.attribute' needs 'from' and/or 'to'");
        }
        for (JsonNode end : new JsonNode[] {from, to}) {
            if (end != null && !end.isNumber() && !end.isTextual()) {
                throw ApiException.badParameter("'filter.from' and 'filter.to' must be numbers or text (ISO dates compare as text)");
            }
        }
    }

    boolean test(JsonNode doc) {
        JsonNode v = doc.get(attribute);
        if (v == null || v.isNull() || !(v.isNumber() || v.isTextual())) {
            return false;
        }
        return (from == null || compare(v, from) >= 0) && (to == null || compare(v, to) < 0);
    }

    private static int compare(JsonNode value, JsonNode end) {
        if (value.isNumber() && end.isNumber()) {
            return value.decimalValue().compareTo(end.decimalValue());
        }
        return value.asText().compareTo(end.asText());
    }

    void write(ObjectNode filter) {
        filter.put("attribute", attribute);
        filter.set("from", from);
        filter.set("to", to);
    }

    /** The range a manifest's filter records; null when it has none. */
    static AttributeRange of(JsonNode filter) {
        if (filter == null || !filter.hasNonNull("attribute")) {
            return null;
        }
        JsonNode from = filter.get("from");
        JsonNode to = filter.get("to");
        return new AttributeRange(filter.get("attribute").asText(), from == null || from.isNull() ? null : from,
                to == null || to.isNull() ? null : to);
    }
}
