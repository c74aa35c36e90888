package io.tributary.source;

import io.tributary.sql.Dialect;
import java.sql.Types;
import java.util.List;
import java.util.Locale;

/**
 * The order in which a source's keys are read, and its text encoding ("position") whose plain
 * {@link String#compareTo} order is the same order, so the central node can keep max(position)
 * without knowing anything about the source.
 */
public enum KeyOrder {
    /** Integer keys, compared as numbers. Encoded zero-padded to 20 digits. */
    NUMERIC,
    /** String keys by length, then lexicographically (code points), as in the seed. Encoded as {@code %05d:key}. */
    LENGTH_THEN_LEXICAL,
    /** String keys lexicographically (code points). Encoded as the key itself. */
    LEXICAL;

    private static final int NUMERIC_DIGITS = 20;
    private static final int LENGTH_DIGITS = 5;

    /** Parses the {@code keyOrder} parameter; {@code auto} is resolved later from the key column's type. */
    public static KeyOrder parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "auto" -> null;
            case "numeric" -> NUMERIC;
            case "length-then-lexical" -> LENGTH_THEN_LEXICAL;
            case "lexical" -> LEXICAL;
            default -> throw new IllegalArgumentException(
                    "Invalid keyOrder '" + value + "': use auto, numeric, length-then-lexical or lexical");
        };
    }

    /** What {@code auto} means for a key column of this JDBC type. */
    public static KeyOrder forColumnType(int jdbcType) {
        return switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL -> NUMERIC;
            default -> LENGTH_THEN_LEXICAL;
        };
    }

    public String encode(String key) {
        return switch (this) {
            case NUMERIC -> {
                long value = Long.parseLong(key);
                if (value < 0) {
                    // A minus sign would break the zero-padded text order; keys are expected to count up from 0 or 1.
                    throw new IllegalArgumentException("Negative key " + key + " cannot be ordered numerically: "
                            + "use keyOrder lexical or a non-negative key column");
                }
                yield String.format(Locale.ROOT, "%0" + NUMERIC_DIGITS + "d", value);
            }
            case LENGTH_THEN_LEXICAL -> String.format(Locale.ROOT, "%0" + LENGTH_DIGITS + "d:", key.codePointCount(0, key.length())) + key;
            case LEXICAL -> key;
        };
    }

    public String decode(String position) {
        return switch (this) {
            case NUMERIC -> Long.toString(Long.parseLong(position));
            case LENGTH_THEN_LEXICAL -> position.substring(position.indexOf(':') + 1);
            case LEXICAL -> position;
        };
    }

    /** SQL condition "key is after the bound watermark key"; bind its values from {@link #afterValues}. */
    public String afterCondition(Dialect dialect, String quotedKey) {
        String collated = dialect.binaryCollated(quotedKey);
        return switch (this) {
            case NUMERIC -> quotedKey + " > ?";
            case LENGTH_THEN_LEXICAL -> "(CHAR_LENGTH(" + quotedKey + ") > ? OR (CHAR_LENGTH(" + quotedKey + ") = ? AND "
                    + collated + " > ?))";
            case LEXICAL -> collated + " > ?";
        };
    }

    /** The values of {@link #afterCondition}'s parameters, in order. */
    public List<Object> afterValues(String key) {
        int length = key.codePointCount(0, key.length());
        return switch (this) {
            case NUMERIC -> List.of(Long.parseLong(key));
            case LENGTH_THEN_LEXICAL -> List.of(length, length, key);
            case LEXICAL -> List.of(key);
        };
    }

    /** SQL ORDER BY terms matching {@link #afterCondition}. */
    public String orderBy(Dialect dialect, String quotedKey) {
        return switch (this) {
            case NUMERIC -> quotedKey;
            case LENGTH_THEN_LEXICAL -> "CHAR_LENGTH(" + quotedKey + "), " + dialect.binaryCollated(quotedKey);
            case LEXICAL -> dialect.binaryCollated(quotedKey);
        };
    }

    /** The key as bound in DELETE statements: a number for numeric keys so indexes on integer columns are used. */
    public Object sqlValue(String key) {
        return this == NUMERIC ? (Object) Long.parseLong(key) : key;
    }

    public String parameterValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
