package io.tributary.central;

import io.tributary.http.CollectionName;
import io.tributary.http.ApiException;
import io.tributary.http.QueryString;
import static io.tributary.http.JsonResponse.send;
import static io.tributary.http.RequestPath.database;
import static io.tributary.http.RequestPath.parameter;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * ArangoDB's single-document API ({@code /_api/document/...}), called from
 * {@code routes/central-import.camel.yaml}. Writes go through the import path of the {@link CollectionStore}
 * (an insert is an import with {@code onDuplicate} taken from {@code overwriteMode}), so every storage
 * rule, {@code versionAttribute} included, holds in one place.
 */
public class DocumentEndpoint {

    private static final Set<String> WRITE_PARAMETERS = Set.of("waitForSync", "returnNew", "silent", "keepNull",
            "mergeObjects", "refillIndexCaches", "versionAttribute", "ignoreRevs", "syncReplicas", "syncTimeout");
    private static final Set<String> INSERT_PARAMETERS = Stream.concat(WRITE_PARAMETERS.stream(),
            Stream.of("overwrite", "overwriteMode")).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> REMOVE_PARAMETERS = Set.of("waitForSync", "returnOld", "silent", "ignoreRevs",
            "refillIndexCaches", "syncReplicas", "syncTimeout");
    private static final Set<String> READ_PARAMETERS = Set.of("onlyget", "ignoreRevs");

    private ImportEndpoint importEndpoint;

    /** Its store, and its limits on bodies and documents. */
    public void setImportEndpoint(ImportEndpoint importEndpoint) {
        this.importEndpoint = importEndpoint;
    }

    private CollectionStore store() {
        return importEndpoint.store();
    }

    /**
     * {@code GET /_api/document/{collection}/{key}}: the document with {@code _id} and {@code _rev};
     * {@code HEAD} too, answered without the body ({@link io.tributary.http.JsonResponse#send}).
     */
    public void read(Exchange exchange) {
        Message in = exchange.getMessage();
        ObjectNode document = stored(in);
        send(in, 200, document);
        in.setHeader("Etag", "\"" + document.get("_rev").asText() + "\"");
    }

    /**
     * {@code POST /_api/document/{collection}}: one document or an array of them. {@code overwriteMode}
     * ignore, replace, update and conflict (the default) act as the import's {@code onDuplicate} ignore,
     * replace, update and error.
     */
    public void insert(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> params = parameters(in, INSERT_PARAMETERS);
        write(in, params, overwriteMode(params), null);
    }

    /** {@code PUT /_api/document/{collection}/{key}}: 404 (errorNum 1202) if the document does not exist. */
    public void replace(Exchange exchange) {
        Message in = exchange.getMessage();
        write(in, parameters(in, WRITE_PARAMETERS), ImportRequest.OnDuplicate.REPLACE, existingKey(in));
    }

    /** {@code PATCH /_api/document/{collection}/{key}}: merges as the import's {@code onDuplicate=update}. */
    public void update(Exchange exchange) {
        Message in = exchange.getMessage();
        write(in, parameters(in, WRITE_PARAMETERS), ImportRequest.OnDuplicate.UPDATE, existingKey(in));
    }

    /** {@code DELETE /_api/document/{collection}/{key}}. */
    public void remove(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> params = parameters(in, REMOVE_PARAMETERS);
        String collection = collection(in);
        String key = key(in);
        store().changeLog().takeLastTick();
        ObjectNode old = store().remove(database(in), collection, key).orElseThrow(DocumentEndpoint::notFound);
        long tick = store().changeLog().takeLastTick();
        ObjectNode answer = ImportRequest.bool(params, "silent") ? Json.MAPPER.createObjectNode()
                : meta(collection, key, DocumentRevision.of(old));
        if (ImportRequest.bool(params, "returnOld") && !ImportRequest.bool(params, "silent")) {
            answer.set("old", withMeta(collection, old));
        }
        send(in, status(params), answer);
        ImportEndpoint.lastTick(in, tick);
    }

    /**
     * {@code PUT /_api/document/{collection}?onlyget=true} with an array of keys, ids or objects with
     * {@code _key}: the documents in that order, an error entry (errorNum 1202) for each missing one.
     * Replacing many documents at once is not served (501).
     */
    public void documents(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> params = parameters(in, READ_PARAMETERS);
        if (!ImportRequest.bool(params, "onlyget")) {
            throw new ApiException(501, ApiException.NOT_IMPLEMENTED, "replacing several documents in one request is"
                    + " not supported; use /_api/import with onDuplicate=replace, or PUT /_api/document/{collection}/{key}");
        }
        String collection = collection(in);
        JsonNode selectors = json(importEndpoint.body(in));
        if (!selectors.isArray()) {
            throw ApiException.badParameter("expecting a JSON array of document keys");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode selector : selectors) {
            keys.add(keyOf(selector));
        }
        Map<String, ObjectNode> found = store().documents(database(in), collection,
                keys.stream().filter(DocumentKey::isValid).toList());
        ArrayNode answer = Json.MAPPER.createArrayNode();
        Map<Integer, Integer> errors = new TreeMap<>();
        for (String key : keys) {
            ObjectNode document = found.get(key);
            if (document == null) {
                ApiException missing = DocumentKey.isValid(key) ? notFound() : badKey();
                answer.add(errorEntry(missing.errorNum(), missing.getMessage()));
                errors.merge(missing.errorNum(), 1, Integer::sum);
            } else {
                answer.add(withMeta(collection, document));
            }
        }
        send(in, 200, answer);
        errorCodesHeader(in, errors);
    }

    /**
     * One import of the request's documents, then each answered as ArangoDB does: its {@code _id},
     * {@code _key} and {@code _rev} (read back after the write), or an error entry.
     */
    private void write(Message in, Map<String, String> params, ImportRequest.OnDuplicate onDuplicate, String pathKey) {
        if (params.containsKey("keepNull") && !ImportRequest.bool(params, "keepNull")
                || params.containsKey("mergeObjects") && !ImportRequest.bool(params, "mergeObjects")) {
            throw ApiException.badParameter("keepNull=false and mergeObjects=false are not supported: an update keeps"
                    + " null values and merges nested objects");
        }
        String database = database(in);
        String collection = collection(in);
        byte[] body = importEndpoint.body(in);
        store().requireCollection(database, collection);
        boolean many = pathKey == null && ImportBody.firstNonBlank(body, 0, body.length) == '[';
        byte[] documents = many ? body : array(body, pathKey);
        ImportRequest request = ImportRequest.forDocuments(collection, onDuplicate, params.get("versionAttribute"));
        ImportBody parsed = ImportBody.parse(importEndpoint.documentLimit(), request, documents);
        store().changeLog().takeLastTick();
        ImportResult result = store().importDocuments(database, request, parsed, null);
        long tick = store().changeLog().takeLastTick();

        Map<Integer, ImportItem> failures = new HashMap<>();
        result.failures().forEach(f -> failures.put(f.position(), f));
        Map<String, ObjectNode> stored = result.stored();
        boolean silent = ImportRequest.bool(params, "silent");
        boolean returnNew = ImportRequest.bool(params, "returnNew");
        ArrayNode answers = Json.MAPPER.createArrayNode();
        Map<Integer, Integer> errors = new TreeMap<>();
        for (ImportItem item : parsed.items()) {
            ImportItem failure = item.isValid() ? failures.get(item.position()) : item;
            if (failure != null) {
                if (!many) {
                    throw new ApiException(failure.status(), failure.errorNum(), message(failure));
                }
                answers.add(errorEntry(failure.errorNum(), message(failure)));
                errors.merge(failure.errorNum(), 1, Integer::sum);
            } else if (!silent) {
                ObjectNode document = stored.get(item.key());
                if (document == null) {
                    throw new IllegalStateException("document '" + item.key() + "' was written but cannot be read back");
                }
                ObjectNode answer = meta(collection, item.key(), DocumentRevision.of(document));
                if (returnNew) {
                    answer.set("new", withMeta(collection, document));
                }
                answers.add(answer);
            }
        }
        send(in, status(params), many ? answers : answers.isEmpty() ? Json.MAPPER.createObjectNode() : answers.get(0));
        errorCodesHeader(in, errors);
        ImportEndpoint.lastTick(in, tick);
    }

    private ObjectNode stored(Message in) {
        parameters(in, READ_PARAMETERS);
        String collection = collection(in);
        String key = key(in);
        ObjectNode document = store().documents(database(in), collection, List.of(key)).get(key);
        if (document == null) {
            throw notFound();
        }
        return withMeta(collection, document);
    }

    /** The path's key, of a document that must exist (404, errorNum 1202, otherwise). */
    private String existingKey(Message in) {
        String key = key(in);
        if (store().documents(database(in), collection(in), List.of(key)).isEmpty()) {
            throw notFound();
        }
        return key;
    }

    /** Conditional requests would need a stored revision: refused rather than ignored. */
    private static Map<String, String> parameters(Message in, Set<String> known) {
        if (in.getHeader("If-Match") != null || in.getHeader("If-None-Match") != null) {
            throw ApiException.badParameter("If-Match and If-None-Match are not supported: Tributary keeps no revisions");
        }
        Map<String, String> params = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badParameter("unknown or unsupported query parameter '" + ApiException.printable(name)
                        + "'; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        ImportRequest.bool(params, "waitForSync");
        return params;
    }

    private static ImportRequest.OnDuplicate overwriteMode(Map<String, String> params) {
        String mode = params.get("overwriteMode");
        if (mode == null) {
            return ImportRequest.bool(params, "overwrite") ? ImportRequest.OnDuplicate.REPLACE : ImportRequest.OnDuplicate.ERROR;
        }
        return switch (mode) {
            case "conflict" -> ImportRequest.OnDuplicate.ERROR;
            case "ignore" -> ImportRequest.OnDuplicate.IGNORE;
            case "replace" -> ImportRequest.OnDuplicate.REPLACE;
            case "update" -> ImportRequest.OnDuplicate.UPDATE;
            default -> throw ApiException.badParameter("parameter 'overwriteMode' must be one of ignore, replace, update,"
                    + " conflict; got '" + ApiException.printable(mode) + "'");
        };
    }

    /** 201 when the client waited for sync, 202 otherwise, as ArangoDB answers. */
    private static int status(Map<String, String> params) {
        return ImportRequest.bool(params, "waitForSync") ? 201 : 202;
    }

    /** The import's per-document text without its position, which a single-document answer does not need. */
    private static String message(ImportItem failure) {
        return failure.error().replaceFirst("^at position \\d+: ", "");
    }

    private static String collection(Message in) {
        return CollectionName.requireCollection(parameter(in, "collection"), "it in the path");
    }

    private static String key(Message in) {
        String key = parameter(in, "key");
        if (!DocumentKey.isValid(key)) {
            throw badKey();
        }
        return key;
    }

    /** A selector of {@code onlyget}: a key, an id ({@code collection/key}) or an object with {@code _key} or {@code _id}. */
    private static String keyOf(JsonNode selector) {
        String text = selector.isTextual() ? selector.asText()
                : selector.path("_key").isTextual() ? selector.get("_key").asText()
                : selector.path("_id").isTextual() ? selector.get("_id").asText() : "";
        return text.substring(text.indexOf('/') + 1);
    }

    /**
     * A single document as a one-element array, with the path's key when there is one. The body is checked
     * to be one JSON value first, so a body like {@code {..}{..}} or {@code {..},{..}} is refused as sent
     * instead of becoming (or failing as) an array inside the added brackets.
     */
    private static byte[] array(byte[] body, String pathKey) {
        requireOneValue(body);
        if (pathKey == null) {
            byte[] wrapped = new byte[body.length + 2];
            wrapped[0] = '[';
            System.arraycopy(body, 0, wrapped, 1, body.length);
            wrapped[wrapped.length - 1] = ']';
            return wrapped;
        }
        JsonNode document = json(body);
        if (!document.isObject()) {
            throw new ApiException(400, ApiException.DOCUMENT_TYPE_INVALID, "invalid document type: expecting a JSON object");
        }
        ((ObjectNode) document).put("_key", pathKey);
        return ("[" + document + "]").getBytes(StandardCharsets.UTF_8);
    }

    private static void requireOneValue(byte[] body) {
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            if (parser.nextToken() != null) {
                parser.skipChildren();
                if (parser.nextToken() == null) {
                    return;
                }
            }
        } catch (IOException e) {
            // reported below in the user's terms: the parser's message would quote the body
        }
        throw new ApiException(400, ApiException.CORRUPTED_JSON,
                "malformed JSON: the body must be one JSON object or one array of objects");
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null) {
                throw new ApiException(400, ApiException.CORRUPTED_JSON, "empty request body: expecting JSON");
            }
            return node;
        } catch (IOException e) {
            throw new ApiException(400, ApiException.CORRUPTED_JSON, "malformed JSON in the request body");
        }
    }

    private static ObjectNode meta(String collection, String key, String revision) {
        return Json.MAPPER.createObjectNode().put("_id", collection + "/" + key).put("_key", key)
                .put("_rev", revision);
    }

    /** The stored document as ArangoDB returns it: {@code _key}, {@code _id} and {@code _rev} first. */
    private static ObjectNode withMeta(String collection, ObjectNode stored) {
        String key = stored.path("_key").asText();
        ObjectNode out = Json.MAPPER.createObjectNode().put("_key", key).put("_id", collection + "/" + key)
                .put("_rev", DocumentRevision.of(stored));
        stored.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("_key")) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static ObjectNode errorEntry(int errorNum, String message) {
        return Json.MAPPER.createObjectNode().put("error", true).put("errorNum", errorNum).put("errorMessage", message);
    }

    /** ArangoDB's {@code X-Arango-Error-Codes}: how often each errorNum occurred in a many-document answer. */
    private static void errorCodesHeader(Message in, Map<Integer, Integer> errors) {
        if (!errors.isEmpty()) {
            ObjectNode codes = Json.MAPPER.createObjectNode();
            errors.forEach((num, count) -> codes.put(String.valueOf(num), count));
            in.setHeader("X-Arango-Error-Codes", codes.toString());
        }
    }

    private static ApiException notFound() {
        return new ApiException(404, ApiException.DOCUMENT_NOT_FOUND, "document not found");
    }

    private static ApiException badKey() {
        return new ApiException(400, ApiException.DOCUMENT_KEY_BAD, "illegal document key");
    }
}
