package io.tributary.keyrange;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Hashes of documents and of key ranges, computed in Java on both sides of a sync. The stored text
 * cannot be hashed as is: PostgreSQL's JSONB reorders attributes and rewrites numbers, MariaDB and H2
 * keep the text as written. So a document is hashed in a canonical form (attributes sorted, numbers
 * without trailing zeros), and the same document hashes the same on every database.
 */
public final class DocumentHash {

    /** 128 bits are plenty to tell documents apart; ranges are hashed over these, in key order. */
    private static final int BYTES = 16;

    private DocumentHash() {
    }

    /**
     * The hash of one row. With a version, key and version stand for the row, as ArangoDB's key and
     * revision do: a versioned write changes the version, and skipping the document spares parsing it,
     * which is most of a comparison's time. Without one, key and canonical document.
     */
    public static String of(String key, BigInteger version, String json) {
        MessageDigest digest = sha256();
        digest.update(key.getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        if (version != null) {
            digest.update(version.toString().getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) 1);
        } else {
            digest.update((byte) 0);
            canonical(json, digest);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, BYTES);
    }

    /**
     * Feeds the canonical UTF-8 form of a document into the digest through one generator: no text of it
     * is built, and no generator per attribute (what the profile of an incremental sync showed first).
     */
    private static void canonical(String json, MessageDigest digest) {
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(
                new DigestOutputStream(OutputStream.nullOutputStream(), digest))) {
            write(Json.MAPPER.readTree(json), g);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored document is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonNode node, JsonGenerator g) throws IOException {
        if (node.isObject()) {
            SortedSet<String> names = new TreeSet<>();
            node.fieldNames().forEachRemaining(names::add);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                write(node.get(name), g);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode item : node) {
                write(item, g);
            }
            g.writeEndArray();
        } else if (node.isNumber()) {
            g.writeNumber(number(node.decimalValue()));
        } else if (node.isTextual()) {
            g.writeString(node.textValue());
        } else if (node.isBoolean()) {
            g.writeBoolean(node.booleanValue());
        } else {
            g.writeNull();
        }
    }

    /** 100, 1E+2, 100.0 and 1.0E2 are one number: JSONB turns each into 100. */
    private static String number(BigDecimal value) {
        BigDecimal n = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        return n.scale() <= 0 && n.precision() - n.scale() <= 400 ? n.toBigInteger().toString() : n.toString();
    }

    /** A running hash over the row hashes of one key range, in key order. */
    public static final class Range {
        private final MessageDigest digest = sha256();
        private long count;

        public void add(String rowHash) {
            digest.update(rowHash.getBytes(StandardCharsets.US_ASCII));
            count++;
        }

        public long count() {
            return count;
        }

        /** The hash of the range so far; the range starts over afterwards. */
        public String finish() {
            count = 0;
            return HexFormat.of().formatHex(digest.digest(), 0, BYTES);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
