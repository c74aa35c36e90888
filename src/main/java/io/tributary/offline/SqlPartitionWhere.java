package io.tributary.offline;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.keyrange.ByteKeyOrder;
import io.tributary.sql.Jdbc;
import io.tributary.sql.SqlIdentifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of a table that belong to one partition, by its bounds (docs/offline.md): the one WHERE that a
 * backup reads a partition with and a restore finds the target's rows of that partition with.
 *
 * @param sql  the condition with its leading {@code " WHERE "}, or empty for the whole table
 * @param args its parameters, in order
 */
record SqlPartitionWhere(String sql, List<Object> args) {

    static final SqlPartitionWhere ALL = new SqlPartitionWhere("", List.of());

    /**
     * @param by        the backup's partitioning: none, value, day, month or keys
     * @param keyColumn the column of a keys partitioning whose bounds do not name one
     * @param columns   the table's columns by lower-cased name
     */
    static SqlPartitionWhere of(String by, BackupManifest.Bounds b, String keyColumn, Map<String, SqlColumn> columns,
                                Jdbc jdbc, String table) {
        if (b == null || by == null || by.equals("none")) {
            return ALL;
        }
        String name = b.column() != null ? b.column() : keyColumn;
        SqlColumn column = columns.get(SqlIdentifier.require("partition column", name).toLowerCase(Locale.ROOT));
        if (column == null) {
            throw new IllegalArgumentException("table " + table + " lacks partition column " + name);
        }
        String quoted = column.name();
        return switch (by) {
            case "value" -> b.value() == null || b.value().isNull()
                    ? new SqlPartitionWhere(" WHERE " + quoted + " IS NULL", List.of())
                    : new SqlPartitionWhere(" WHERE " + quoted + " = ?", list(column.parameter(b.value())));
            case "day", "month" -> new SqlPartitionWhere(" WHERE " + quoted + " >= ? AND " + quoted + " < ?",
                    list(column.parameter(TextNode.valueOf(b.from())), column.parameter(TextNode.valueOf(b.to()))));
            case "keys" -> {
                String ordered = keyOrder(jdbc, table, column);
                yield new SqlPartitionWhere(" WHERE " + ordered + " >= ? AND " + ordered + " <= ?", list(b.first(), b.last()));
            }
            default -> throw new IllegalArgumentException("unknown partitioning '" + by + "'");
        };
    }

    /** The key in byte order, as keys partitions are cut and compared on every database. */
    static String keyOrder(Jdbc jdbc, String table, SqlColumn key) {
        return ByteKeyOrder.expression(jdbc.template(), jdbc.dialect(), table, key.name(), key.name(),
                key.kind() == SqlColumn.Kind.TEXT);
    }

    /** This condition and {@code more} (a condition without WHERE, or null). */
    SqlPartitionWhere and(String more) {
        if (more == null) {
            return this;
        }
        return new SqlPartitionWhere(sql.isEmpty() ? " WHERE " + more : sql + " AND " + more, args);
    }

    private static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }
}
