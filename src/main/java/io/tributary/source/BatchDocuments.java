package io.tributary.source;

import io.tributary.source.ChangeFeed.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one batch of change rows into ArangoDB import documents. Every document gets
 * {@code _key = keyPrefix + key} and {@code _source = sourceId} so many sources can feed one
 * collection, and a numeric {@code _version} so the central node never lets a replayed or late
 * batch overwrite a newer document.
 */
public final class BatchDocuments {

    public static final String VERSION_ATTRIBUTE = "_version";

    private final String sourceId;
    private final String keyPrefix;
    private final KeyOrder order;
    private final CaptureMode mode;

    public BatchDocuments(String sourceId, String keyPrefix, KeyOrder order, CaptureMode mode) {
        this.sourceId = sourceId;
        this.keyPrefix = keyPrefix;
        this.order = order;
        this.mode = mode;
    }

    public List<Map<String, Object>> documents(List<Change> batch) {
        List<Map<String, Object>> documents = new ArrayList<>(batch.size());
        for (Change change : batch) {
            Map<String, Object> document = new LinkedHashMap<>(change.columns());
            document.put("_key", keyPrefix + change.key());
            document.put("_source", sourceId);
            Long version = version(change);
            if (version != null) {
                document.put(VERSION_ATTRIBUTE, version);
            }
            documents.add(document);
        }
        return documents;
    }

    /**
     * The timestamp (epoch micros) in timestamp mode, else the key when it is a number. String keys
     * have no version: each change row is written once, so a replay writes identical content.
     */
    private Long version(Change change) {
        if (mode == CaptureMode.TIMESTAMP) {
            return Watermark.epochMicros(change.timestamp());
        }
        return order == KeyOrder.NUMERIC ? Long.parseLong(change.key()) : null;
    }
}
