package io.tributary.status;

import io.tributary.sql.Dialect;
import io.tributary.sql.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The per-source watermark table: one row per source id, so any number of sources (and tables)
 * can share one status table without interfering. The table is created when missing.
 */
public final class StatusStore {

    /** One source's stored progress. */
    public record Status(String sourceId, String lastKey, LocalDateTime lastTimestamp, String position, long rowsTransferred) {
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String table;
    private final String select;
    private final String update;
    private final String insert;

    public StatusStore(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.dialect = Dialect.of(dataSource);
        // Unquoted, like the user's own SQL would name it, so it can be queried as written.
        this.table = SqlIdentifier.requireQualified("status table", table);
        this.select = "SELECT source_id, last_key, last_ts, position, rows_transferred FROM " + this.table
                + " WHERE source_id = ?";
        this.update = "UPDATE " + this.table + " SET last_key = ?, last_ts = ?, position = ?,"
                + " rows_transferred = rows_transferred + ?, updated_at = " + dialect.localTimestamp() + " WHERE source_id = ?";
        this.insert = "INSERT INTO " + this.table + " (last_key, last_ts, position, rows_transferred, updated_at, source_id)"
                + " VALUES (?, ?, ?, ?, " + dialect.localTimestamp() + ", ?)";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public void createIfMissing() {
        String timestamp = dialect.timestampType();
        String sql = "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "source_id VARCHAR(200) NOT NULL PRIMARY KEY, "
                + "last_key VARCHAR(2000) NOT NULL, "
                + "last_ts " + timestamp + " NULL, "
                + "position VARCHAR(2100) NOT NULL, "
                + "rows_transferred BIGINT NOT NULL, "
                + "updated_at " + timestamp + " NOT NULL)";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            // Two sources starting together may race on CREATE; only fail if the table is really missing.
            try {
                read("-");
            } catch (IllegalStateException missing) {
                throw new IllegalStateException("Cannot create status table " + table + ": " + e.getMessage(), e);
            }
        }
    }

    public Optional<Status> read(String sourceId) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, sourceId, false);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read status of source '" + sourceId + "' from " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores a new watermark inside the caller's transaction. Idempotent and monotonic: a position
     * that is not beyond the stored one (a replayed checkpoint) changes nothing.
     *
     * @return whether the row changed
     */
    public boolean advance(Connection c, String sourceId, String lastKey, LocalDateTime lastTimestamp, String position, long rows)
            throws SQLException {
        Optional<Status> current = read(c, sourceId, true);
        if (current.isPresent() && current.get().position().compareTo(position) >= 0) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement(current.isPresent() ? update : insert)) {
            ps.setString(1, lastKey);
            ps.setObject(2, lastTimestamp == null ? null : Timestamp.valueOf(lastTimestamp));
            ps.setString(3, position);
            ps.setLong(4, rows);
            ps.setString(5, sourceId);
            ps.executeUpdate();
        }
        return true;
    }

    private Optional<Status> read(Connection c, String sourceId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(forUpdate ? select + " FOR UPDATE" : select)) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp ts = rs.getTimestamp(3);
                return Optional.of(new Status(rs.getString(1), rs.getString(2), ts == null ? null : ts.toLocalDateTime(),
                        rs.getString(4), rs.getLong(5)));
            }
        }
    }
}
