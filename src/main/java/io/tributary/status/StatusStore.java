package io.tributary.status;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.SqlIdentifier;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The per-source watermark table: one row per source id, so any number of sources (and tables)
 * can share one status table without interfering. The table is created when missing.
 */
public final class StatusStore {

    /** One source's stored progress. */
    public record Status(String sourceId, String lastKey, LocalDateTime lastTimestamp, String position, long rowsTransferred) {
    }

    private final Jdbc jdbc;
    private final String table;
    private final String select;
    private final String update;
    private final String insert;

    public StatusStore(DataSource dataSource, String table) {
        this.jdbc = new Jdbc(dataSource);
        Dialect dialect = jdbc.dialect();
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
        return jdbc.dataSource();
    }

    public void createIfMissing() {
        String timestamp = jdbc.dialect().timestampType();
        try {
            jdbc.create("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "source_id VARCHAR(200) NOT NULL PRIMARY KEY, "
                    + "last_key VARCHAR(2000) NOT NULL, "
                    + "last_ts " + timestamp + " NULL, "
                    + "position VARCHAR(2100) NOT NULL, "
                    + "rows_transferred BIGINT NOT NULL, "
                    + "updated_at " + timestamp + " NOT NULL)");
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot create status table " + table + ": " + Jdbc.reason(e), e);
        }
    }

    public Optional<Status> read(String sourceId) {
        try {
            return read(jdbc.template(), sourceId, false);
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot read status of source '" + sourceId + "' from " + table + ": "
                    + Jdbc.reason(e), e);
        }
    }

    /**
     * Stores a new watermark in the caller's transaction (the status database's {@link Jdbc#transaction}).
     * Idempotent and monotonic: a position that is not beyond the stored one (a replayed checkpoint)
     * changes nothing.
     *
     * @return whether the row changed
     */
    public boolean advance(String sourceId, String lastKey, LocalDateTime lastTimestamp, String position, long rows) {
        JdbcTemplate onCaller = jdbc.template();
        Optional<Status> current = read(onCaller, sourceId, true);
        if (current.isPresent() && current.get().position().compareTo(position) >= 0) {
            return false;
        }
        onCaller.update(current.isPresent() ? update : insert, lastKey,
                lastTimestamp == null ? null : Timestamp.valueOf(lastTimestamp), position, rows, sourceId);
        return true;
    }

    private Optional<Status> read(JdbcTemplate template, String sourceId, boolean forUpdate) {
        return template.query(forUpdate ? select + " FOR UPDATE" : select, (ResultSet rs, int n) -> {
            Timestamp ts = rs.getTimestamp(3);
            return new Status(rs.getString(1), rs.getString(2), ts == null ? null : ts.toLocalDateTime(), rs.getString(4),
                    rs.getLong(5));
        }, sourceId).stream().findFirst();
    }
}
