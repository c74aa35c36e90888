package io.tributary.offline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tributary.sql.Dialect;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import org.springframework.jdbc.core.SqlTypeValue;

/**
 * A column of a restore's target table, by its type in the table's metadata: how a backup's JSON value
 * becomes a JDBC parameter (ISO dates and timestamps, exact decimals, base64 binary), and one text per
 * value that a stored value and a backed-up one share when they are equal, for the partition hash.
 */
record SqlColumn(String name, Kind kind, Dialect dialect) {

    enum Kind { TEXT, INTEGER, DECIMAL, BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BINARY, JSON }

    static SqlColumn of(String name, int sqlType, String typeName, Dialect dialect) {
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        Kind kind;
        if (type.equals("json") || type.equals("jsonb")) {
            kind = Kind.JSON;
        } else if (type.equals("timestamptz") || sqlType == Types.TIMESTAMP_WITH_TIMEZONE) {
            kind = Kind.TIMESTAMPTZ;
        } else {
            kind = switch (sqlType) {
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Kind.INTEGER;
                case Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.DECIMAL;
                case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
                case Types.DATE -> Kind.DATE;
                case Types.TIME -> Kind.TIME;
                case Types.TIMESTAMP -> Kind.TIMESTAMP;
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BINARY;
                default -> Kind.TEXT;
            };
        }
        return new SqlColumn(name, kind, dialect);
    }

    /**
     * The JDBC type to bind with: on PostgreSQL, text values (and JSON) as {@code OTHER}, a literal of no
     * declared type that the server reads as the column's type: a varchar parameter is refused by a uuid,
     * json, inet or enum column. The rest by the value's class.
     */
    int bindType() {
        return (kind == Kind.JSON || kind == Kind.TEXT) && dialect == Dialect.POSTGRESQL ? Types.OTHER : SqlTypeValue.TYPE_UNKNOWN;
    }

    /** A backup's value as the parameter for this column; a value that does not fit names the column. */
    Object parameter(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return switch (kind) {
                case INTEGER -> v.isBoolean() ? (v.booleanValue() ? 1L : 0L) : v.isIntegralNumber() && v.canConvertToLong()
                        ? (Object) v.longValue() : integer(new BigDecimal(v.asText()).toBigIntegerExact());
                case DECIMAL -> v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
                case BOOLEAN -> v.isBoolean() ? v.booleanValue() : v.isNumber() ? v.asInt() != 0 : Boolean.parseBoolean(v.asText());
                case DATE -> LocalDate.parse(v.asText().substring(0, Math.min(10, v.asText().length())));
                case TIME -> LocalTime.parse(v.asText());
                case TIMESTAMP -> timestamp(v.asText());
                case TIMESTAMPTZ -> timestampTz(v.asText());
                case BINARY -> Base64.getDecoder().decode(v.asText());
                case JSON -> v.isTextual() ? v.textValue() : v.toString();
                case TEXT -> v.isTextual() ? v.textValue() : v.isValueNode() ? v.asText() : v.toString();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("value " + abbreviated(v) + " of column " + name + " does not fit its "
                    + kind + " type in the target table: " + e.getMessage(), e);
        }
    }

    private static Object integer(BigInteger value) {
        return value.bitLength() < 64 ? (Object) value.longValue() : new BigDecimal(value);
    }

    private static LocalDateTime timestamp(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay();
        }
        if (hasOffset(text)) {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        return LocalDateTime.parse(text);
    }

    /** Ends in {@code Z} or {@code +hh:mm}/{@code -hh:mm}; checked by hand, a regular expression per value cost more than the parse. */
    private static boolean hasOffset(String text) {
        int n = text.length();
        if (n > 0 && text.charAt(n - 1) == 'Z') {
            return true;
        }
        return n >= 6 && (text.charAt(n - 6) == '+' || text.charAt(n - 6) == '-') && Character.isDigit(text.charAt(n - 5))
                && Character.isDigit(text.charAt(n - 4)) && text.charAt(n - 3) == ':' && Character.isDigit(text.charAt(n - 2))
                && Character.isDigit(text.charAt(n - 1));
    }

    private static OffsetDateTime timestampTz(String text) {
        if (hasOffset(text)) {
            return OffsetDateTime.parse(text);
        }
        return timestamp(text).atOffset(ZoneOffset.UTC);
    }

    /** The stored value of this column in the current row, of the class {@link #parameter} gives. */
    Object read(ResultSet rs, int i) throws SQLException {
        Object value = switch (kind) {
            case INTEGER, DECIMAL -> rs.getBigDecimal(i);
            case BOOLEAN -> rs.getBoolean(i);
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIME -> rs.getObject(i, LocalTime.class);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMPTZ -> rs.getObject(i, OffsetDateTime.class);
            case BINARY -> rs.getBytes(i);
            case JSON, TEXT -> rs.getString(i);
        };
        return rs.wasNull() ? null : value;
    }

    /** A value {@link #read} gives as a backup writes it (docs/offline.md): what {@link #parameter} reads back. */
    JsonNode json(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        return switch (kind) {
            case INTEGER -> {
                BigDecimal d = (BigDecimal) value;
                yield d.scale() <= 0 && d.precision() - d.scale() < 19 ? f.numberNode(d.longValueExact()) : f.numberNode(d);
            }
            case DECIMAL -> f.numberNode((BigDecimal) value);
            case BOOLEAN -> f.booleanNode((Boolean) value);
            case DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BINARY -> f.textNode(canonical(value));
            case JSON, TEXT -> f.textNode((String) value);
        };
    }

    /**
     * This column of the current row written as {@link #json} of {@link #read} writes it, without the
     * node: the backup's way. Integers on PostgreSQL are read as longs (it has no unsigned type wider).
     */
    void writeJson(JsonGenerator g, ResultSet rs, int i) throws SQLException, IOException {
        switch (kind) {
            case JSON, TEXT -> {
                String s = rs.getString(i);
                if (s == null) {
                    g.writeNull();
                } else {
                    g.writeString(s);
                }
            }
            case INTEGER -> {
                if (dialect == Dialect.POSTGRESQL) {
                    long l = rs.getLong(i);
                    if (rs.wasNull()) {
                        g.writeNull();
                    } else {
                        g.writeNumber(l);
                    }
                } else {
                    writeNode(g, rs, i);
                }
            }
            case BOOLEAN -> {
                boolean b = rs.getBoolean(i);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeBoolean(b);
                }
            }
            case DECIMAL -> writeNode(g, rs, i);
            case DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BINARY -> {
                Object value = read(rs, i);
                if (value == null) {
                    g.writeNull();
                } else {
                    g.writeString(canonical(value));
                }
            }
        }
    }

    private void writeNode(JsonGenerator g, ResultSet rs, int i) throws SQLException, IOException {
        JsonNode node = json(read(rs, i));
        if (node.isNull()) {
            g.writeNull();
        } else if (node.isLong() || node.isInt()) {
            g.writeNumber(node.longValue());
        } else {
            g.writeNumber(node.decimalValue());
        }
    }

    /** One text for equal values, whichever side and class they come from. */
    static String canonical(Object value) {
        if (value == null) {
            return "\u0000null";
        }
        if (value instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof OffsetDateTime t) {
            LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            return inFourDigitYears(utc) ? iso(utc, true) : t.toInstant().toString();
        }
        if (value instanceof LocalDateTime t) {
            return inFourDigitYears(t) ? iso(t, false) : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (value instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        return value.toString();
    }

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private static boolean inFourDigitYears(LocalDateTime t) {
        return t.getYear() >= 0 && t.getYear() <= 9999;
    }

    /**
     * {@code t} as {@link DateTimeFormatter#ISO_LOCAL_DATE_TIME} writes it (fraction without trailing zeros) or,
     * {@code instant}, as {@link java.time.Instant#toString} of the same UTC time (fraction in groups of three
     * digits, then {@code Z}): by hand, as the formatters cost a backup a tenth of its time.
     */
    static String iso(LocalDateTime t, boolean instant) {
        StringBuilder b = new StringBuilder(instant ? 30 : 29);
        digits(b, t.getYear(), 4).append('-');
        digits(b, t.getMonthValue(), 2).append('-');
        digits(b, t.getDayOfMonth(), 2).append('T');
        digits(b, t.getHour(), 2).append(':');
        digits(b, t.getMinute(), 2).append(':');
        digits(b, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) {
            b.append('.');
            int width = 9;
            if (instant) {
                width = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            } else {
                while (nano % 10 == 0) {
                    nano /= 10;
                    width--;
                }
            }
            digits(b, instant ? nano / POWERS_OF_TEN[9 - width] : nano, width);
        }
        return instant ? b.append('Z').toString() : b.toString();
    }

    private static StringBuilder digits(StringBuilder b, int value, int width) {
        for (int d = POWERS_OF_TEN[width - 1]; d > 0; d /= 10) {
            b.append((char) ('0' + value / d % 10));
        }
        return b;
    }

    private static String abbreviated(JsonNode v) {
        String text = v.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
