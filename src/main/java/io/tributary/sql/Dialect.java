package io.tributary.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The SQL dialects Tributary speaks. Only what differs between them lives here; each feature
 * keeps its own statements next to its code and asks the dialect for the differing pieces.
 */
public enum Dialect {
    H2, POSTGRESQL, MARIADB;

    public static Dialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to detect the database dialect: " + e.getMessage(), e);
        }
    }

    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        throw new IllegalStateException("Unsupported database '" + product + "': use H2, PostgreSQL or MariaDB");
    }

    /** Quotes an identifier that {@link SqlIdentifier} has already validated. */
    public String quote(String identifier) {
        return this == MARIADB ? "`" + identifier + "`" : "\"" + identifier + "\"";
    }

    /** Column type for a JSON document body. */
    public String jsonType() {
        return this == POSTGRESQL ? "JSONB" : textType();
    }

    /** Column type for text of unbounded length that still needs no index. */
    public String textType() {
        return switch (this) {
            case POSTGRESQL -> "TEXT";
            case MARIADB -> "LONGTEXT";
            case H2 -> "CHARACTER LARGE OBJECT";
        };
    }

    /**
     * Expression comparing strings in code-point order whatever the column collation is, so that
     * "lexicographic" means the same on every database.
     */
    public String binaryCollated(String expression) {
        return switch (this) {
            case POSTGRESQL -> expression + " COLLATE \"C\"";
            case MARIADB -> "BINARY " + expression;
            case H2 -> expression;
        };
    }

    /**
     * Condition that two {@link #jsonType()} values hold the same text, compared in the database: exact on
     * every database (no collation, no JSONB number equality), and no document is sent to the client.
     */
    public String sameText(String a, String b) {
        return switch (this) {
            case POSTGRESQL -> "CAST(" + a + " AS TEXT) = CAST(" + b + " AS TEXT)";
            case MARIADB -> "BINARY " + a + " = BINARY " + b;
            case H2 -> a + " = " + b;
        };
    }

    /** Column type for binary values of any size. */
    public String binaryType() {
        return switch (this) {
            case POSTGRESQL -> "BYTEA";
            case MARIADB -> "LONGBLOB";
            case H2 -> "VARBINARY";
        };
    }

    /** Column type for a local date-time with microseconds (MariaDB's TIMESTAMP would update itself, so DATETIME). */
    public String timestampType() {
        return this == MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
    }

    /** Current local timestamp with sub-second precision, in the session's time zone. */
    public String localTimestamp() {
        return this == MARIADB ? "NOW(6)" : "LOCALTIMESTAMP";
    }

    /** The database clock now as seconds since 1970 (with a fraction), whatever the session's time zone. */
    public String epochSecondsNow() {
        return switch (this) {
            case POSTGRESQL -> "EXTRACT(EPOCH FROM clock_timestamp())";
            case MARIADB -> "UNIX_TIMESTAMP(NOW(6))";
            case H2 -> "EXTRACT(EPOCH FROM CURRENT_TIMESTAMP)";
        };
    }

    /**
     * A query for the start (seconds since 1970) of the oldest transaction, or statement, still
     * running in this database other than the asking session's, and the number of reasons the answer
     * cannot be trusted (sessions the user may not see, prepared transactions, a replica whose writers
     * run elsewhere); null where the database does not show other sessions' transactions reliably
     * (H2, MariaDB). A row
     * written by a running transaction carries a key taken, or a database timestamp set, no earlier
     * than that start, so rows older than the result can no longer appear late.
     */
    public String oldestTransactionQuery() {
        return switch (this) {
            // Without pg_read_all_stats, other roles' sessions show NULL backend_type, state and xact_start;
            // track_activities=off shows 'disabled'. Prepared transactions belong to no session. All count as blind.
            case POSTGRESQL -> "SELECT EXTRACT(EPOCH FROM MIN(xact_start)),"
                    + " COUNT(*) FILTER (WHERE backend_type IS NULL OR state IS NULL OR state = 'disabled')"
                    + " + (SELECT COUNT(*) FROM pg_prepared_xacts WHERE database = current_database())"
                    + " + CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END"
                    + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND (backend_type IS NULL OR backend_type NOT IN ('autovacuum worker', 'autovacuum launcher',"
                    + " 'walsender', 'walreceiver', 'checkpointer', 'background writer', 'walwriter', 'archiver',"
                    + " 'startup', 'logical replication launcher'))";
            // information_schema.innodb_trx is a cache that is refreshed only after 0.1 s without readers: sources
            // polling often (or any monitoring tool) can keep it showing no transaction at all. Not to be trusted.
            case MARIADB, H2 -> null;
        };
    }

    /**
     * The database server's local time now, in the zone its own configuration names: MariaDB and H2
     * sessions keep the server's zone unless told otherwise; the PostgreSQL driver sets the session
     * to the JVM's zone, so the server's is taken from {@code log_timezone}, which the server
     * configuration sets together with {@code TimeZone}, and converted by PostgreSQL itself (POSIX
     * zone names such as {@code UTC-3} mean the opposite sign in Java).
     */
    public String serverLocalTimestamp() {
        return this == POSTGRESQL ? "(clock_timestamp() AT TIME ZONE current_setting('log_timezone'))" : localTimestamp();
    }

    /**
     * Column type for an ASCII identifier compared byte for byte (document keys, names), so that
     * MariaDB's case-insensitive default collations do not merge {@code a} and {@code A}, and
     * PostgreSQL's index compares with memcmp instead of the locale's rules (a third of the cost
     * of a bulk import into a new collection was key comparisons under the default collation).
     */
    public String asciiKeyType(int length) {
        return switch (this) {
            case MARIADB -> "VARCHAR(" + length + ") CHARACTER SET ascii COLLATE ascii_bin";
            case POSTGRESQL -> "VARCHAR(" + length + ") COLLATE \"C\"";
            case H2 -> "VARCHAR(" + length + ")";
        };
    }

    /** Suffix for CREATE TABLE: MariaDB otherwise uses the server's default charset, often not UTF-8. */
    public String tableOptions() {
        return this == MARIADB ? " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
    }

    /** Placeholder for a JSON text parameter going into a {@link #jsonType()} column. */
    public String jsonParameter() {
        return this == POSTGRESQL ? "CAST(? AS JSONB)" : "?";
    }

    /**
     * Whether a transaction failed only because of a concurrent one (unique violation, deadlock,
     * serialization failure, lock timeout), so running it again may succeed.
     */
    public boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException x = s; x != null; x = x.getNextException()) {
                    String state = x.getSQLState();
                    if (isUniqueViolation(x) || (state != null && (state.startsWith("40") || state.equals("HYT00")))
                            || x.getErrorCode() == 1205 || x.getErrorCode() == 1213) {
                        return true;
                    }
                    if (x.getNextException() == x) {
                        break;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether the database refused a document's characters (PostgreSQL's untranslatable_character:
     * jsonb has no text form for {@code \\u0000}): the client's data, so running it again cannot succeed.
     */
    public boolean refusesCharacter(SQLException e) {
        return this == POSTGRESQL && "22P05".equals(e.getSQLState());
    }

    /**
     * Whether a {@code CREATE ... IF NOT EXISTS} failed only because another connection created the same
     * object at the same moment (PostgreSQL checks existence before taking its catalog locks).
     */
    public boolean isConcurrentCreation(SQLException e) {
        String state = e.getSQLState();
        return isUniqueViolation(e) || "42P07".equals(state) || "42S01".equals(state) || "42710".equals(state)
                || e.getErrorCode() == 1050;
    }

    /** Whether a failed statement is a unique-key violation (a concurrent insert of the same key). */
    public boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("23505") || (state.equals("23000") && e.getErrorCode() == 1062));
    }
}
