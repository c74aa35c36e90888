package io.tributary.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Reading the fields of a JSON request body (job specs): unknown fields are refused by name. */
public final class RequestFields {

    private RequestFields() {
    }

    /** 400 naming the first field of {@code node} not in {@code known}; {@code prefix} places it ("target."). */
    public static void requireKnown(JsonNode node, Set<String> known, String prefix) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw ApiException.badParameter("unknown field '" + prefix + ApiException.printable(name) + "'");
            }
        });
    }

    /** The field's text; null when it is missing or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
