package io.tributary.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads what arrived in a central collection straight from the central database, bypassing HTTP. */
public final class CentralCollection {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CentralCollection() {
    }

    public static List<Map<String, Object>> documents(TestDatabase central, String collection) {
        List<Map<String, Object>> catalog = central.query(
                "SELECT table_name FROM tributary_collections WHERE database_name = '_system' AND collection_name = ?",
                collection);
        if (catalog.isEmpty()) {
            return List.of();
        }
        String table = (String) catalog.get(0).get("table_name");
        String quoted = central.dialect().quote(table);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Map<String, Object> row : central.query("SELECT " + central.dialect().quote("doc") + " FROM " + quoted)) {
            docs.add(parse(String.valueOf(row.get("doc"))));
        }
        return docs;
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Central document is not JSON: " + json, e);
        }
    }
}
