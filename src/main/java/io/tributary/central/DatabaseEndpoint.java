package io.tributary.central;

import io.tributary.http.CollectionName;
import io.tributary.http.ApiException;
import static io.tributary.http.JsonResponse.send;
import static io.tributary.http.RequestPath.database;
import static io.tributary.http.RequestPath.parameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * ArangoDB's server, database and collection calls that drivers make before they import or read
 * ({@code /_api/version}, {@code /_api/database/current}, {@code /_api/collection...}), called from
 * {@code routes/central-import.camel.yaml}. Bodies are shaped as ArangoDB's, with the fields drivers parse.
 */
public class DatabaseEndpoint {

    /** The ArangoDB release whose HTTP API Tributary follows (versionAttribute is 3.12's). */
    static final String API_VERSION = "3.12.0";
    private static final int DOCUMENT_COLLECTION = 2;
    private static final int STATUS_LOADED = 3;

    private ImportEndpoint importEndpoint;

    /** Its store, and its limits on bodies. */
    public void setImportEndpoint(ImportEndpoint importEndpoint) {
        this.importEndpoint = importEndpoint;
    }

    private CollectionStore store() {
        return importEndpoint.store();
    }

    /** {@code GET /_api/version}. */
    public void version(Exchange exchange) {
        send(exchange.getMessage(), 200, Json.MAPPER.createObjectNode().put("server", "tributary")
                .put("version", API_VERSION).put("license", "community"));
    }

    /** {@code GET /_api/database/current}: every valid database name exists implicitly. */
    public void currentDatabase(Exchange exchange) {
        Message in = exchange.getMessage();
        String database = database(in);
        ObjectNode answer = Json.MAPPER.createObjectNode().put("error", false).put("code", 200);
        answer.putObject("result").put("name", database).put("id", id(database, ""))
                .put("isSystem", database.equals(CollectionName.SYSTEM_DATABASE)).put("path", "none");
        send(in, 200, answer);
    }

    /** {@code GET /_api/collection}: there are no system collections to exclude. */
    public void collections(Exchange exchange) {
        Message in = exchange.getMessage();
        String database = database(in);
        ObjectNode answer = Json.MAPPER.createObjectNode().put("error", false).put("code", 200);
        ArrayNode result = answer.putArray("result");
        store().collections(database).forEach(name -> result.add(info(database, name)));
        send(in, 200, answer);
    }

    /** {@code GET /_api/collection/{name}}: 404 with errorNum 1203 if it does not exist, which drivers read as "no". */
    public void collection(Exchange exchange) {
        Message in = exchange.getMessage();
        String database = database(in);
        String name = collectionName(in);
        store().requireCollection(database, name);
        send(in, 200, info(database, name).put("error", false).put("code", 200));
    }

    /** {@code GET /_api/collection/{name}/properties}. */
    public void properties(Exchange exchange) {
        Message in = exchange.getMessage();
        String database = database(in);
        String name = collectionName(in);
        store().requireCollection(database, name);
        send(in, 200, properties(database, name));
    }

    /** {@code GET /_api/collection/{name}/count}. */
    public void count(Exchange exchange) {
        Message in = exchange.getMessage();
        String name = collectionName(in);
        long count = store().count(database(in), name);
        send(in, 200, Json.MAPPER.createObjectNode().put("name", name).put("count", count)
                .put("error", false).put("code", 200));
    }

    /**
     * {@code POST /_api/collection} with {@code {"name":...}}: a document collection; 409 (errorNum 1207) if
     * it exists. Options such as keyOptions or numberOfShards are accepted and have no effect.
     */
    public void createCollection(Exchange exchange) {
        Message in = exchange.getMessage();
        String database = database(in);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(importEndpoint.body(in));
        } catch (IOException e) {
            throw new ApiException(400, ApiException.CORRUPTED_JSON, "malformed JSON in the collection definition");
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badParameter("expecting a JSON object with the collection's \"name\"");
        }
        JsonNode type = body.get("type");
        if (type != null && !type.isNull() && type.asInt() != DOCUMENT_COLLECTION) {
            throw ApiException.badParameter("only document collections (type 2) are supported, not type " + type.asText());
        }
        String name = CollectionName.requireCollection(body.path("name").isTextual() ? body.get("name").asText() : null,
                "the \"name\" field");
        if (!store().createCollection(database, name)) {
            throw new ApiException(409, ApiException.DUPLICATE_NAME, "duplicate name: collection '" + name + "' exists");
        }
        send(in, 200, properties(database, name));
    }

    /** AQL and other ArangoDB APIs Tributary does not serve: 501 with errorNum 9 (not implemented). */
    public void unsupported(Exchange exchange) {
        throw new ApiException(501, ApiException.NOT_IMPLEMENTED, "AQL queries (/_api/cursor) are not supported by"
                + " Tributary; docs/central-import.md, section \"Served ArangoDB API\", lists what it serves");
    }

    private static String collectionName(Message in) {
        return CollectionName.requireCollection(parameter(in, "name"), "it in the path");
    }

    private static ObjectNode info(String database, String name) {
        String id = id(database, name);
        return Json.MAPPER.createObjectNode().put("id", id).put("name", name).put("status", STATUS_LOADED)
                .put("type", DOCUMENT_COLLECTION).put("isSystem", false).put("globallyUniqueId", "c" + id);
    }

    private static ObjectNode properties(String database, String name) {
        ObjectNode p = info(database, name).put("waitForSync", false).put("writeConcern", 1).put("replicationFactor", 1)
                .put("numberOfShards", 1).put("cacheEnabled", false).put("syncByRevision", true);
        p.putObject("keyOptions").put("type", "traditional").put("allowUserKeys", true).put("lastValue", 0);
        p.putArray("shardKeys").add("_key");
        p.putNull("schema");
        return p.put("error", false).put("code", 200);
    }

    /** A stable numeric id, as ArangoDB's are numeric strings: from the same hash as the collection's table. */
    private static String id(String database, String name) {
        String table = JdbcCollectionStore.tableName(database, name);
        return Long.toString(Long.parseLong(table.substring(table.length() - 12), 16));
    }
}
