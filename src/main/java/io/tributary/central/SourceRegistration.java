package io.tributary.central;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.json.Json;
import java.util.regex.Pattern;

/**
 * What a source tells the central node about itself once per start ({@code PUT /_api/tributary/sources/{id}}):
 * a fingerprint of the database and table it reads (a SHA-256, never credentials), a readable origin
 * for error messages, and where its documents go: database, collection and key prefix.
 */
public record SourceRegistration(String source, String fingerprint, String origin, String database, String collection,
                                 String keyPrefix) {

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");
    static final int MAX_ORIGIN_CHARS = 1000;
    static final int MAX_PREFIX_CHARS = DocumentKey.MAX_PREFIX_CHARS;

    /** The registration of {@code source} from a request body; 400 naming the first invalid field. */
    public static SourceRegistration fromJson(String source, JsonNode body) {
        SourcePosition.requireSource(source);
        if (!(body instanceof ObjectNode)) {
            throw ApiException.badParameter("expecting a JSON object with fingerprint, origin, database, collection, keyPrefix");
        }
        String fingerprint = text(body, "fingerprint");
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            throw ApiException.badParameter("'fingerprint' must be 64 lower-case hex digits (a SHA-256)");
        }
        String origin = text(body, "origin");
        if (origin == null) {
            origin = "";
        }
        if (origin.length() > MAX_ORIGIN_CHARS || origin.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badParameter("'origin' must be at most " + MAX_ORIGIN_CHARS + " characters without control characters");
        }
        String database = CollectionName.requireDatabase(text(body, "database"));
        String collection = CollectionName.requireCollection(text(body, "collection"), "the \"collection\" field");
        String keyPrefix = text(body, "keyPrefix");
        if (!DocumentKey.isValidPrefix(keyPrefix)) {
            throw ApiException.badParameter("'keyPrefix' must be a string of at most " + MAX_PREFIX_CHARS
                    + " characters allowed in a document key (it may be empty)");
        }
        return new SourceRegistration(source, fingerprint, origin, database, collection, keyPrefix);
    }

    private static String text(JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badParameter("'" + name + "' must be a string");
        }
        return v.asText();
    }

    /** Whether the two sources' keys can collide: same collection in the same database, one prefix starting the other. */
    boolean overlaps(SourceRegistration other) {
        return database.equals(other.database) && collection.equals(other.collection)
                && (keyPrefix.startsWith(other.keyPrefix) || other.keyPrefix.startsWith(keyPrefix));
    }

    /** How error messages name this source: id, where it reads, where it writes. */
    String describe() {
        return "source '" + source + "' (" + (origin.isEmpty() ? "fingerprint " + fingerprint.substring(0, 12) : origin)
                + ", key prefix '" + keyPrefix + "' in " + database + "/" + collection + ")";
    }

    ObjectNode toJson() {
        return Json.MAPPER.createObjectNode().put("source", source).put("fingerprint", fingerprint)
                .put("origin", origin).put("database", database).put("collection", collection).put("keyPrefix", keyPrefix);
    }
}
