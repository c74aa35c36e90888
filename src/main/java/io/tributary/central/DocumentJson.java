package io.tributary.central;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/** The JSON side of documents: ArangoDB's update merge, content comparison, and version numbers. */
public final class DocumentJson {

    /** Versions are stored in DECIMAL(38,0); larger numbers cannot be compared there and count as no version. */
    private static final BigInteger MAX_VERSION = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);

    private DocumentJson() {
    }

    /** {@code onDuplicate=update}: ArangoDB's default {@code mergeObjects=true}, nested objects merge, the rest is set. */
    static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = target.get(e.getKey());
            if (old instanceof ObjectNode oldObject && e.getValue() instanceof ObjectNode newObject) {
                merge(oldObject, newObject);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
        return target;
    }

    /**
     * The document's version under {@code attribute} as ArangoDB's {@code versionAttribute} reads it: a
     * non-negative number rounded down; null (no version, the write goes ahead) for anything else.
     */
    static BigInteger version(ObjectNode document, String attribute) {
        if (attribute == null) {
            return null;
        }
        JsonNode v = document.get(attribute);
        if (v == null || !v.isNumber()) {
            return null;
        }
        return v.isIntegralNumber() ? bounded(v.bigIntegerValue()) : rounded(v.decimalValue());
    }

    /** A floating-point version, rounded down. */
    static BigInteger rounded(BigDecimal version) {
        return bounded(version.setScale(0, RoundingMode.FLOOR).toBigInteger());
    }

    /** Null for what DECIMAL(38,0) cannot compare: negative or too large. */
    static BigInteger bounded(BigInteger n) {
        return n.signum() < 0 || n.compareTo(MAX_VERSION) > 0 ? null : n;
    }

    /** Leaves of {@link #sameContent}: numbers by value, everything else as parsed. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    /**
     * Whether two documents have the same content: attribute order does not matter (PostgreSQL's JSONB
     * reorders), numbers compare by value (1.50 = 1.5), everything else as parsed.
     */
    static boolean sameContent(JsonNode a, JsonNode b) {
        return a == null || b == null ? a == b : a.equals(BY_VALUE, b);
    }

    public static BigDecimal column(BigInteger version) {
        return version == null ? null : new BigDecimal(version);
    }
}
