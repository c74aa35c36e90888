package io.tributary.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a central collection straight from the central store's tables, bypassing the HTTP API. */
public final class CentralCollection {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CentralCollection() {
    }

    /** Creates a collection through the import endpoint, as an operator would (an empty import). */
    public static void create(String centralUrl, String collection) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(centralUrl + "/_api/import?collection=" + collection + "&type=array&createCollection=true"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[]")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("Cannot create collection " + collection + ": " + response.statusCode() + " " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The collection's table, from the central catalog. */
    public static String table(TestDatabase central, String collection) {
        List<Map<String, Object>> rows = central.query(
                "SELECT table_name FROM tributary_collections WHERE collection_name = ?", collection);
        if (rows.isEmpty()) {
            throw new IllegalStateException("No central collection " + collection);
        }
        return (String) rows.get(0).get("table_name");
    }

    /** Every stored document, parsed, with its {@code _key} column. */
    public static List<Map<String, Object>> documents(TestDatabase central, String collection) {
        String table = central.dialect().quote(table(central, collection));
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Map<String, Object> row : central.query("SELECT " + central.dialect().quote("_key") + " AS k, "
                + central.dialect().quote("doc") + " AS d FROM " + table)) {
            try {
                Map<String, Object> doc = new LinkedHashMap<>(JSON.readValue(text(row.get("d")),
                        new TypeReference<Map<String, Object>>() { }));
                doc.put("_key", row.get("k"));
                documents.add(doc);
            } catch (Exception e) {
                throw new IllegalStateException("Unparseable central document " + row.get("k") + ": " + e.getMessage(), e);
            }
        }
        return documents;
    }

    /** One stored document's text as the central database returns it (null if there is none): what no parser reshaped. */
    public static String documentText(TestDatabase central, String collection, String key) {
        List<Map<String, Object>> rows = central.query("SELECT " + central.dialect().quote("doc") + " AS d FROM "
                + central.dialect().quote(table(central, collection)) + " WHERE " + central.dialect().quote("_key") + " = ?", key);
        try {
            return rows.isEmpty() ? null : text(rows.get(0).get("d"));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** H2 returns the document column as a Clob, PostgreSQL as a PGobject, MariaDB as a String. */
    private static String text(Object value) throws java.sql.SQLException {
        if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        return String.valueOf(value);
    }
}
