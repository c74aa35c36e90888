package io.tributary.central;

import io.tributary.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table {@code tributary_source_positions}: per source, the highest position applied. It is written
 * inside the import's own transaction, so the documents and the position commit or vanish together.
 */
final class SourcePositions {

    static final String TABLE = "tributary_source_positions";

    private final Dialect dialect;
    private final String table;

    SourcePositions(Dialect dialect) {
        this.dialect = dialect;
        this.table = TABLE; // a fixed name: unquoted, so operators can query it without quotes on every database
    }

    void createTable(Connection c) throws SQLException {
        JdbcCollectionStore.createIdempotently(c, dialect, "CREATE TABLE IF NOT EXISTS " + table + " (source "
                + dialect.asciiKeyType(200) + " NOT NULL PRIMARY KEY,"
                + " position VARCHAR(" + SourcePosition.MAX_POSITION_CHARS + ") NOT NULL,"
                + " updated_at TIMESTAMP NOT NULL)" + dialect.tableOptions());
    }

    /** Stores max(stored, given); the row lock keeps concurrent requests of one source in order. */
    void advance(Connection c, SourcePosition given) throws SQLException {
        String stored = null;
        boolean exists = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + table + " WHERE source = ? FOR UPDATE")) {
            ps.setString(1, given.source());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    exists = true;
                    stored = rs.getString(1);
                }
            }
        }
        if (!exists) {
            // a concurrent first insert of the same source fails with a unique violation; the request is retried
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                    + " (source, position, updated_at) VALUES (?, ?, " + dialect.localTimestamp() + ")")) {
                ps.setString(1, given.source());
                ps.setString(2, given.position());
                ps.executeUpdate();
            }
        } else if (given.position().compareTo(stored) > 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                    + " SET position = ?, updated_at = " + dialect.localTimestamp() + " WHERE source = ?")) {
                ps.setString(1, given.position());
                ps.setString(2, given.source());
                ps.executeUpdate();
            }
        }
    }

    List<SourcePosition> all(Connection c) throws SQLException {
        List<SourcePosition> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source, position FROM " + table + " ORDER BY source");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(new SourcePosition(rs.getString(1), rs.getString(2)));
            }
        }
        return result;
    }

    Optional<SourcePosition> find(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM " + table + " WHERE source = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SourcePosition(source, rs.getString(1))) : Optional.empty();
            }
        }
    }
}
