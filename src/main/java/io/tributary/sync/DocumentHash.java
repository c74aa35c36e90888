package io.tributary.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.DocumentJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

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

    /** The hash of one row: key, version column and canonical document. */
    public static String of(String key, BigInteger version, String json) {
        MessageDigest digest = sha256();
        digest.update(key.getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        if (version != null) {
            digest.update(version.toString().getBytes(StandardCharsets.US_ASCII));
        }
        digest.update((byte) 0);
        digest.update(canonical(json).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest(), 0, BYTES);
    }

    static String canonical(String json) {
        try {
            StringBuilder b = new StringBuilder(json.length());
            write(DocumentJson.MAPPER.readTree(json), b);
            return b.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void write(JsonNode node, StringBuilder b) throws JsonProcessingException {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append(DocumentJson.MAPPER.writeValueAsString(e.getKey())).append(':');
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (node.isArray()) {
            b.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(node.get(i), b);
            }
            b.append(']');
        } else if (node.isNumber()) {
            b.append(number(node.decimalValue()));
        } else {
            b.append(DocumentJson.MAPPER.writeValueAsString(node));
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
