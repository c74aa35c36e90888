package io.tributary.source;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import io.tributary.source.ChangeFeed.Change;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes one batch of change rows as the body of an ArangoDB {@code /_api/import?type=array} request.
 * Every document gets {@code _key = keyPrefix + key} and {@code _source = sourceId} so many sources
 * can feed one collection, and a numeric {@code _version} so the central node never lets a replayed or
 * late batch overwrite a newer document.
 *
 * <p>The JSON is streamed straight from the rows: building a map per document and handing the list to
 * a generic marshaller cost the source process most of its CPU and garbage (see docs/performance.md).
 */
public final class BatchBody {

    public static final String VERSION_ATTRIBUTE = "_version";

    private final String sourceId;
    private final String keyPrefix;
    private final KeyOrder order;
    private final CaptureMode mode;

    public BatchBody(String sourceId, String keyPrefix, KeyOrder order, CaptureMode mode) {
        this.sourceId = sourceId;
        this.keyPrefix = keyPrefix;
        this.order = order;
        this.mode = mode;
    }

    /** The batch as one JSON array of documents, UTF-8. */
    public byte[] json(List<Change> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 256 + 16);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (Change change : batch) {
                write(g, change);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void write(JsonGenerator g, Change change) throws IOException {
        g.writeStartObject();
        String[] names = change.names();
        Object[] values = change.values();
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name.equals("_key") || name.equals("_source") || name.equals(VERSION_ATTRIBUTE)) {
                continue; // set by Tributary below
            }
            g.writeFieldName(name);
            value(g, values[i]);
        }
        g.writeStringField("_key", keyPrefix + change.key());
        g.writeStringField("_source", sourceId);
        Long version = version(change);
        if (version != null) {
            g.writeNumberField(VERSION_ATTRIBUTE, version);
        }
        g.writeEndObject();
    }

    private static void value(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof JsonNode node) {
            g.writeTree(node);
        } else {
            Json.MAPPER.writeValue(g, value); // doubles, big integers, byte arrays (base64)
        }
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
