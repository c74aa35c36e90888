package io.tributary.keyrange;

import io.tributary.sql.Dialect;
import java.sql.Types;
import java.util.Locale;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * The SQL expression that orders a key column by the ASCII bytes of its text, as Java's
 * {@code String.compareTo} does: both sides of a sync must cut the same key ranges. Where the
 * column's collation already orders by bytes the bare column is used, so the primary key index
 * serves the range scans; a forced collation or a cast would make every page a full scan.
 */
public final class ByteKeyOrder {

    /** PostgreSQL collations that order ASCII text by bytes. */
    private static final Set<String> PG_BYTE_COLLATIONS = Set.of("c", "posix", "c.utf8", "c.utf-8", "ucs_basic");
    private static final ResultSetExtractor<String> FIRST = rs -> rs.next() ? rs.getString(1) : null;

    private ByteKeyOrder() {
    }

    /**
     * @param table  table name as written in SQL (optionally schema-qualified)
     * @param column column name as written in SQL
     * @param quoted the column as the statements write it
     * @param text   whether the column holds text (otherwise it is cast to text first)
     */
    public static String expression(JdbcTemplate t, Dialect d, String table, String column, String quoted, boolean text) {
        if (!text) {
            return asText(d, quoted);
        }
        if (d == Dialect.H2) {
            return quoted; // H2 compares strings as Java does unless a database collation was set
        }
        // information_schema knows PostgreSQL's unquoted names lower-cased
        String name = d == Dialect.POSTGRESQL ? table.toLowerCase(Locale.ROOT) : table;
        String col = d == Dialect.POSTGRESQL ? column.toLowerCase(Locale.ROOT) : column;
        String collation = d == Dialect.POSTGRESQL ? pgCollation(t, d, name, col) : columnCollation(t, d, name, col);
        return isByteOrdered(d, collation) ? quoted : d.binaryCollated(quoted);
    }

    /** A column that is not text, cast to text that orders by bytes. */
    public static String asText(Dialect d, String quoted) {
        return switch (d) {
            case POSTGRESQL -> "CAST(" + quoted + " AS TEXT) COLLATE \"C\"";
            case MARIADB -> "BINARY CAST(" + quoted + " AS CHAR)";
            case H2 -> "CAST(" + quoted + " AS VARCHAR)";
        };
    }

    /** Whether a column of this {@link java.sql.Types} type holds text. */
    public static boolean isText(int sqlType) {
        return switch (sqlType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> true;
            default -> false;
        };
    }

    private static boolean isByteOrdered(Dialect d, String collation) {
        String name = collation == null ? "" : collation.toLowerCase(Locale.ROOT);
        return d == Dialect.POSTGRESQL ? PG_BYTE_COLLATIONS.contains(name) : name.endsWith("_bin");
    }

    /** The column's own collation, else the database's default. */
    private static String pgCollation(JdbcTemplate t, Dialect d, String table, String column) {
        String own = columnCollation(t, d, table, column);
        return own != null ? own : t.query("SELECT datcollate FROM pg_database WHERE datname = current_database()", FIRST);
    }

    private static String columnCollation(JdbcTemplate t, Dialect d, String table, String column) {
        int dot = table.indexOf('.');
        String sql = "SELECT collation_name FROM information_schema.columns WHERE table_name = ? AND column_name = ?"
                + " AND table_schema = " + (dot < 0 ? (d == Dialect.POSTGRESQL ? "current_schema()" : "DATABASE()") : "?");
        return dot < 0 ? t.query(sql, FIRST, table, column)
                : t.query(sql, FIRST, table.substring(dot + 1), column, table.substring(0, dot));
    }
}
