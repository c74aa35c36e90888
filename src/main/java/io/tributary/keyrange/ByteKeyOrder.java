package io.tributary.keyrange;

import io.tributary.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL expression that orders a key column by the ASCII bytes of its text, as Java's
 * {@code String.compareTo} does: both sides of a sync must cut the same key ranges. Where the
 * column's collation already orders by bytes the bare column is used, so the primary key index
 * serves the range scans; a forced collation or a cast would make every page a full scan.
 */
public final class ByteKeyOrder {

    /** PostgreSQL collations that order ASCII text by bytes. */
    private static final Set<String> PG_BYTE_COLLATIONS = Set.of("c", "posix", "c.utf8", "c.utf-8", "ucs_basic");

    private ByteKeyOrder() {
    }

    /**
     * @param table  table name as information_schema knows it (optionally schema-qualified)
     * @param column column name as information_schema knows it
     * @param quoted the column as the statements write it
     * @param text   whether the column holds text (otherwise it is cast to text first)
     */
    public static String expression(Connection c, Dialect d, String table, String column, String quoted, boolean text)
            throws SQLException {
        if (!text) {
            return switch (d) {
                case POSTGRESQL -> "CAST(" + quoted + " AS TEXT) COLLATE \"C\"";
                case MARIADB -> "BINARY CAST(" + quoted + " AS CHAR)";
                case H2 -> "CAST(" + quoted + " AS VARCHAR)";
            };
        }
        return switch (d) {
            case H2 -> quoted; // H2 compares strings as Java does unless a database collation was set
            case POSTGRESQL -> isByteOrdered(pgCollation(c, d, table, column)) ? quoted : d.binaryCollated(quoted);
            case MARIADB -> {
                String collation = columnCollation(c, d, table, column);
                yield collation != null && collation.toLowerCase(Locale.ROOT).endsWith("_bin") ? quoted : d.binaryCollated(quoted);
            }
        };
    }

    private static boolean isByteOrdered(String collation) {
        return collation != null && PG_BYTE_COLLATIONS.contains(collation.toLowerCase(Locale.ROOT));
    }

    /** The column's own collation, else the database's default. */
    private static String pgCollation(Connection c, Dialect d, String table, String column) throws SQLException {
        String own = columnCollation(c, d, table, column);
        if (own != null) {
            return own;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT datcollate FROM pg_database WHERE datname = current_database()");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String columnCollation(Connection c, Dialect d, String table, String column) throws SQLException {
        int dot = table.indexOf('.');
        String name = dot < 0 ? table : table.substring(dot + 1);
        try (PreparedStatement ps = c.prepareStatement("SELECT collation_name FROM information_schema.columns"
                + " WHERE table_name = ? AND column_name = ? AND table_schema = "
                + (dot < 0 ? (d == Dialect.POSTGRESQL ? "current_schema()" : "DATABASE()") : "?"))) {
            ps.setString(1, name);
            ps.setString(2, column);
            if (dot >= 0) {
                ps.setString(3, table.substring(0, dot));
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
