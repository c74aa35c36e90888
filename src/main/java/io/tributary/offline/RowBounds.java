package io.tributary.offline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.http.ApiException;
import io.tributary.sql.Dialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A partition's bounds (docs/offline.md, {@code bounds}) judged on each backup row while it streams into a
 * table: a row outside them would land where the partition's replace does not reach (and stay there after
 * the next forced restore), so the partition's restore is refused and rolled back. Judged in Java where
 * Java compares as the database does (numbers, dates, times, keys in byte order, text on PostgreSQL and
 * H2); otherwise ({@link #exact()} false: text by a MariaDB collation, JSON) the database counts the
 * partition's rows once written.
 */
final class RowBounds {

    private final String source;
    private final String partition;
    private final int index;
    private final String column;
    private final String describe;
    private final Predicate<JsonNode> inside;
    /** Day and month bounds as {@code yyyy-mm-ddT00:00:00}, to compare ISO texts with; else null. */
    private String fromText;
    private String toText;
    private long rows;

    private RowBounds(String source, String partition, int index, String column, String describe, Predicate<JsonNode> inside) {
        this.source = source;
        this.partition = partition;
        this.index = index;
        this.column = column;
        this.describe = describe;
        this.inside = inside;
    }

    /**
     * The bounds of {@code p} on {@code columns} (the target's columns in the backup's order), or null when
     * there are none or the backup does not hold their column (its rows cannot tell).
     */
    static RowBounds of(BackupManifest.Partition p, BackupManifest manifest, List<SqlColumn> columns, Dialect dialect,
                        PartitionRows rows) {
        String by = manifest.partitioning().by();
        BackupManifest.Bounds b = p.bounds();
        if (b == null || by == null || by.equals("none")) {
            return null;
        }
        String name = b.column() != null ? b.column() : manifest.keyColumn();
        int index = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                index = i;
            }
        }
        if (index < 0) {
            return null;
        }
        SqlColumn c = columns.get(index);
        String shown = ApiException.printable(name);
        String source = rows instanceof PartitionFile f ? "backup file " + f.file() : "the rows of partition " + p.name();
        return switch (by) {
            case "value" -> {
                boolean none = b.value() == null || b.value().isNull();
                String describe = shown + (none ? " IS NULL" : " = " + b.value());
                if (none) {
                    yield new RowBounds(source, p.name(), index, shown, describe, v -> v == null || v.isNull());
                }
                if (c.kind() == SqlColumn.Kind.JSON || (c.kind() == SqlColumn.Kind.TEXT && dialect == Dialect.MARIADB)) {
                    yield new RowBounds(source, p.name(), index, shown, describe, null);
                }
                String wanted = SqlColumn.canonical(c.parameter(b.value()));
                yield new RowBounds(source, p.name(), index, shown, describe,
                        v -> v != null && !v.isNull() && SqlColumn.canonical(c.parameter(v)).equals(wanted));
            }
            case "day", "month" -> {
                String describe = shown + " from " + b.from() + " to " + b.to();
                if (c.kind() != SqlColumn.Kind.DATE && c.kind() != SqlColumn.Kind.TIMESTAMP) {
                    yield new RowBounds(source, p.name(), index, shown, describe, null);
                }
                LocalDateTime from = LocalDateTime.parse(b.from());
                LocalDateTime to = LocalDateTime.parse(b.to());
                RowBounds days = new RowBounds(source, p.name(), index, shown, describe, v -> {
                    if (v == null || v.isNull()) {
                        return false;
                    }
                    Object t = c.parameter(v);
                    LocalDateTime time = t instanceof LocalDate d ? d.atStartOfDay() : (LocalDateTime) t;
                    return !time.isBefore(from) && time.isBefore(to);
                });
                // the manifest's check made them midnights
                days.fromText = from.toLocalDate() + "T00:00:00";
                days.toText = to.toLocalDate() + "T00:00:00";
                yield days;
            }
            case "keys" -> {
                String describe = shown + " from " + ApiException.printable(b.first()) + " to "
                        + ApiException.printable(b.last()) + " in byte order";
                if (c.kind() != SqlColumn.Kind.INTEGER && c.kind() != SqlColumn.Kind.TEXT) {
                    yield new RowBounds(source, p.name(), index, shown, describe, null);
                }
                byte[] first = b.first().getBytes(StandardCharsets.UTF_8);
                byte[] last = b.last().getBytes(StandardCharsets.UTF_8);
                yield new RowBounds(source, p.name(), index, shown, describe, v -> {
                    if (v == null || v.isNull()) {
                        return false;
                    }
                    String text = c.kind() == SqlColumn.Kind.INTEGER ? c.parameter(v).toString() : v.asText();
                    byte[] key = text.getBytes(StandardCharsets.UTF_8);
                    return Arrays.compareUnsigned(key, first) >= 0 && Arrays.compareUnsigned(key, last) <= 0;
                });
            }
            default -> throw new IllegalArgumentException("unknown partitioning '" + by + "'");
        };
    }

    /** Whether {@link #check} judges rows; false: the database counts them after writing. */
    boolean exact() {
        return inside != null;
    }

    /** The position of the bounds' column in the backup's columns. */
    int index() {
        return index;
    }

    /** Where the rows come from, for errors. */
    String file() {
        return source;
    }

    String describe() {
        return describe;
    }

    /**
     * The next row's value of the bounds' column, the scalar the parser stands on (it stays on it); refuses
     * a row outside. An ISO text of a day or month partition is compared as text (the restore reads a
     * million of them): its order is the times' order.
     */
    void check(JsonParser p) throws IOException {
        if (fromText != null && p.currentToken() == JsonToken.VALUE_STRING) {
            String s = p.getText();
            if (isoLocal(s)) {
                String t = s.length() == 10 ? s + "T00:00:00" : s;
                rows++;
                if (t.compareTo(fromText) < 0 || t.compareTo(toText) >= 0) {
                    refuse(TextNode.valueOf(s));
                }
                return;
            }
        }
        // the value built here, not by the mapper, which would move the parser off it
        check(switch (p.currentToken()) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? JsonNodeFactory.instance.numberNode(p.getBigIntegerValue()) : LongNode.valueOf(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> DecimalNode.valueOf(p.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> BooleanNode.valueOf(p.getBooleanValue());
            default -> NullNode.getInstance();
        });
    }

    /** {@code yyyy-mm-dd} or {@code yyyy-mm-ddThh:mm:ss[.fraction]}, without an offset. */
    private static boolean isoLocal(String s) {
        int n = s.length();
        if (n != 10 && (n < 19 || n > 29 || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':'
                || (n > 19 && (n == 20 || s.charAt(19) != '.')))) {
            return false;
        }
        if (s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && i != 19 && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    /** The next row's value of the bounds' column (null when the row has none); refuses a row outside. */
    void check(JsonNode value) {
        rows++;
        boolean in;
        try {
            in = inside.test(value);
        } catch (RuntimeException e) {
            in = false;
        }
        if (!in) {
            refuse(value);
        }
    }

    private void refuse(JsonNode value) {
        String v = value == null ? "missing" : ApiException.printable(value.toString());
        throw new IllegalArgumentException(source + " row " + rows + " lies outside partition '" + partition + "' ("
                + describe + "): its " + column + " is " + v + "; nothing of the partition was written");
    }
}
