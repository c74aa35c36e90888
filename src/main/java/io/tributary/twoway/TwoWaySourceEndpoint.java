package io.tributary.twoway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.DocumentKey;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.JsonResponse;
import io.tributary.http.QueryString;
import io.tributary.http.RequestPath;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import java.math.BigInteger;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What another node's two-way job reads from a collection of this one, called from
 * {@code routes/two-way.camel.yaml}: {@code GET .../_api/tributary/two-way/{collection}/changes?after=&upTo=
 * [&afterVersion=&afterKey=]&limit=}, the documents whose {@code _version} is in (after, upTo], in (version, key)
 * order. Writes come through the import API (versioned replace).
 */
public class TwoWaySourceEndpoint {

    /** Documents per answer at most. */
    static final int MAX_LIMIT = 5000;

    private CollectionStore store;

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    public void changes(Exchange exchange) {
        Message in = exchange.getMessage();
        String collection = CollectionName.requireCollection(RequestPath.parameter(in, "collection"), "it in the path");
        Map<String, String> q = QueryString.parameters(in.getHeader(Exchange.HTTP_QUERY, String.class));
        BigInteger after = version(q, "after");
        BigInteger upTo = version(q, "upTo");
        String afterKey = q.get("afterKey");
        if (afterKey != null && !DocumentKey.isValid(afterKey)) {
            throw ApiException.badParameter("parameter 'afterKey' is not a document key");
        }
        int limit;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "1000"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badParameter("parameter 'limit' must be between 1 and " + MAX_LIMIT);
        }
        var docs = store.collection(RequestPath.database(in), collection, false)
                .versionRange(after, upTo, afterKey == null ? null : version(q, "afterVersion"), afterKey, limit);
        ObjectNode answer = Json.MAPPER.createObjectNode().put("error", false);
        ArrayNode list = answer.putArray("documents");
        for (VersionedDocument d : docs) {
            try {
                list.addObject().put("key", d.key()).put("version", d.version().toString())
                        .set("doc", Json.MAPPER.readTree(d.json()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored document is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        JsonResponse.send(in, 200, answer);
    }

    private static BigInteger version(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || !v.matches("[0-9]{1,38}")) {
            throw ApiException.badParameter("parameter '" + name + "' must be a version (digits)");
        }
        return new BigInteger(v);
    }
}
