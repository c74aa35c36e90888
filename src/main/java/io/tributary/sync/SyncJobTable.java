package io.tributary.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The table {@code tributary_sync_jobs} in the central database: one row per sync job, its status and its
 * last known view (JSON, never with a password). A job that was running when the process stopped is
 * marked failed with error {@code interrupted} at the next start.
 */
final class SyncJobTable {

    static final String TABLE = "tributary_sync_jobs";
    static final String INTERRUPTED = "interrupted";

    private final DataSource dataSource;
    private final Dialect d;

    SyncJobTable(DataSource dataSource) {
        this.dataSource = dataSource;
        this.d = Dialect.of(dataSource);
    }

    /** Creates the table and returns how many jobs an earlier run of this node left running. */
    int open() {
        return update(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id " + d.asciiKeyType(36) + " NOT NULL PRIMARY KEY,"
                        + " status VARCHAR(16) NOT NULL, error VARCHAR(2000), created_at TIMESTAMP NOT NULL,"
                        + " details " + d.textType() + " NOT NULL)" + d.tableOptions());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET status = 'failed', error = ?"
                    + " WHERE status = 'running'")) {
                ps.setString(1, INTERRUPTED);
                return ps.executeUpdate();
            }
        });
    }

    void insert(String id, ObjectNode view) {
        update(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (id, status, error, created_at, details)"
                    + " VALUES (?, ?, ?, " + d.localTimestamp() + ", ?)")) {
                ps.setString(1, id);
                ps.setString(2, view.path("status").asText());
                ps.setString(3, null);
                ps.setString(4, text(view));
                return ps.executeUpdate();
            }
        });
    }

    void save(String id, ObjectNode view) {
        update(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET status = ?, error = ?, details = ?"
                    + " WHERE id = ?")) {
                ps.setString(1, view.path("status").asText());
                String error = view.path("error").asText(null);
                ps.setString(2, error == null || error.length() <= 2000 ? error : error.substring(0, 2000));
                ps.setString(3, text(view));
                ps.setString(4, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The view of a job that still runs, so another process, or this one after a crash, shows its last
     * known progress. Never touches a job that has ended: a late checkpoint must not undo its final status.
     */
    void saveProgress(String id, ObjectNode view) {
        update(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET details = ? WHERE id = ?"
                    + " AND status = 'running'")) {
                ps.setString(1, text(view));
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    Optional<ObjectNode> find(String id) {
        List<ObjectNode> found = select(" WHERE id = ?", id, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The most recent jobs first. */
    List<ObjectNode> recent(int limit) {
        return select("", null, limit);
    }

    private List<ObjectNode> select(String where, String id, int limit) {
        List<ObjectNode> jobs = new ArrayList<>();
        update(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, error, details FROM " + TABLE + where
                    + " ORDER BY created_at DESC LIMIT " + limit)) {
                if (id != null) {
                    ps.setString(1, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode view = (ObjectNode) Json.MAPPER.readTree(rs.getString(3));
                        // the columns win: the restart marks jobs interrupted there only
                        view.put("status", rs.getString(1));
                        if (rs.getString(2) != null) {
                            view.put("error", rs.getString(2));
                        }
                        jobs.add(view);
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Stored sync job is not JSON", e);
            }
            return jobs.size();
        });
        return jobs;
    }

    private static String text(ObjectNode view) {
        return view.toString();
    }

    private interface Work {
        int run(Connection c) throws SQLException;
    }

    private int update(Work work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Sync job table: " + e.getMessage(), e);
        }
    }
}
