package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.http.ApiException;
import io.tributary.sql.Dialect;
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
                yield new RowBounds(source, p.name(), index, shown, describe, v -> {
                    if (v == null || v.isNull()) {
                        return false;
                    }
                    Object t = c.parameter(v);
                    LocalDateTime time = t instanceof LocalDate d ? d.atStartOfDay() : (LocalDateTime) t;
                    return !time.isBefore(from) && time.isBefore(to);
                });
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
            String v = value == null ? "missing" : ApiException.printable(value.toString());
            throw new IllegalArgumentException(source + " row " + rows + " lies outside partition '" + partition + "' ("
                    + describe + "): its " + column + " is " + v + "; nothing of the partition was written");
        }
    }
}
