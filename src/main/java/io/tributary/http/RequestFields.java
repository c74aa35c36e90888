package io.tributary.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.util.Set;

/** Reading the fields of a JSON request body (job specs): unknown fields are refused by name. */
public final class RequestFields {

    private RequestFields() {
    }

    /**
     * A job body as a JSON object of known fields: 400 (corrupted JSON) when it is not JSON, 400 saying
     * {@code what} "must be a JSON object with " {@code needs} when it is no object.
     */
    public static JsonNode object(String json, String what, String needs, Set<String> known) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json == null ? "" : json);
        } catch (Exception e) {
            throw new ApiException(400, ApiException.CORRUPTED_JSON, what + " is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badParameter(what + " must be a JSON object with " + needs);
        }
        requireKnown(root, known, "");
        return root;
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

    /**
     * true or false, also given as text (route templates pass text); false when missing, null or empty. Any
     * other value is a 400: read as false, "dryRun": "yes" would run for real.
     */
    public static boolean flag(JsonNode node, String field) {
        String v = nonEmpty(node, field);
        if (v == null) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw ApiException.badParameter("'" + field + "' must be true or false, not '" + ApiException.printable(v) + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** A whole number, also given as text; {@code absent} when missing, null or empty; 400 otherwise. */
    public static long number(JsonNode node, String field, long absent) {
        String v = nonEmpty(node, field);
        if (v == null) {
            return absent;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badParameter("'" + field + "' must be a whole number, not '" + ApiException.printable(v) + "'");
        }
    }

    private static String nonEmpty(JsonNode node, String field) {
        String v = text(node, field);
        return v == null || v.isEmpty() ? null : v;
    }
}
