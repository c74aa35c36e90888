package io.tributary.central;

import io.tributary.http.ApiException;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * The table {@code tributary_follower}: per database this node follows, the primary's server id and URL
 * and the primary's last tick applied here. The applied tick is written inside the transaction that applies
 * a page of the primary's log, so the documents and the tick commit or vanish together.
 */
final class FollowerPositions {

    static final String TABLE = "tributary_follower";

    private final Jdbc jdbc;
    private final Dialect dialect;

    FollowerPositions(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.dialect = jdbc.dialect();
    }

    void createTable() {
        jdbc.create("CREATE TABLE IF NOT EXISTS " + TABLE + " (database_name " + dialect.asciiKeyType(64)
                + " NOT NULL PRIMARY KEY, primary_server_id " + dialect.asciiKeyType(64) + " NOT NULL, primary_url"
                + " VARCHAR(1000) NOT NULL, applied_tick BIGINT, updated_at TIMESTAMP NOT NULL)" + dialect.tableOptions());
    }

    /**
     * Starts or restarts the initial sync of {@code database} from this primary: the applied tick is cleared
     * until {@link #synced} stores it. 409 when the database follows another primary.
     */
    void begin(String database, String primaryServerId, String primaryUrl) {
        Optional<FollowerPosition> stored = find(database, true);
        if (stored.isEmpty()) {
            jdbc.template().update("INSERT INTO " + TABLE + " (database_name, primary_server_id, primary_url, applied_tick,"
                    + " updated_at) VALUES (?, ?, ?, NULL, " + dialect.localTimestamp() + ")", database, primaryServerId, primaryUrl);
            return;
        }
        requireSamePrimary(stored.get(), primaryServerId, primaryUrl);
        jdbc.template().update("UPDATE " + TABLE + " SET applied_tick = NULL, primary_url = ?, updated_at = "
                + dialect.localTimestamp() + " WHERE database_name = ?", primaryUrl, database);
    }

    /** The initial sync completed: the log is tailed from {@code tick}, the primary's last tick taken before it. */
    void synced(String database, String primaryServerId, long tick) {
        FollowerPosition stored = find(database, true).orElseThrow(() -> new IllegalStateException(
                "database " + database + " has no follower row: its initial sync was not begun"));
        requireSamePrimary(stored, primaryServerId, stored.primaryUrl());
        set(database, tick);
    }

    /**
     * The row of a database, locked until commit, checked to follow this primary and to be synced; what a
     * page of the log is applied under.
     */
    FollowerPosition lockForApply(String database, String primaryServerId) {
        FollowerPosition stored = find(database, true).orElseThrow(() -> new IllegalStateException(
                "database " + database + " follows no primary: its initial sync was not begun"));
        requireSamePrimary(stored, primaryServerId, stored.primaryUrl());
        if (!stored.synced()) {
            throw new IllegalStateException("database " + database + " has not completed its initial sync from "
                    + stored.primaryUrl() + ": no log entry is applied before it");
        }
        return stored;
    }

    void set(String database, long tick) {
        jdbc.template().update("UPDATE " + TABLE + " SET applied_tick = ?, updated_at = " + dialect.localTimestamp()
                + " WHERE database_name = ?", tick, database);
    }

    boolean delete(String database) {
        return jdbc.template().update("DELETE FROM " + TABLE + " WHERE database_name = ?", database) > 0;
    }

    List<FollowerPosition> all() {
        return jdbc.template().query("SELECT database_name, primary_server_id, primary_url, applied_tick, updated_at FROM "
                + TABLE + " ORDER BY database_name", (rs, i) -> row(rs));
    }

    Optional<FollowerPosition> find(String database, boolean forUpdate) {
        return jdbc.template().query("SELECT database_name, primary_server_id, primary_url, applied_tick, updated_at FROM "
                + TABLE + " WHERE database_name = ?" + (forUpdate ? " FOR UPDATE" : ""), (rs, i) -> row(rs), database)
                .stream().findFirst();
    }

    private static FollowerPosition row(java.sql.ResultSet rs) throws java.sql.SQLException {
        long tick = rs.getLong(4);
        Long applied = rs.wasNull() ? null : tick;
        Timestamp at = rs.getTimestamp(5);
        return new FollowerPosition(rs.getString(1), rs.getString(2), rs.getString(3), applied,
                at == null ? null : at.toInstant());
    }

    /** One primary per database: following a second one would mix two histories under one tick sequence. */
    private static void requireSamePrimary(FollowerPosition stored, String primaryServerId, String primaryUrl) {
        if (!stored.primaryServerId().equals(primaryServerId)) {
            throw new ApiException(409, ApiException.CONFLICT, "database '" + stored.database() + "' already follows the"
                    + " primary " + stored.primaryUrl() + " (server id " + stored.primaryServerId() + "); refusing "
                    + primaryUrl + " (server id " + primaryServerId + ") as a second primary for the same data");
        }
    }
}
