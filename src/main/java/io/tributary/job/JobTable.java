package io.tributary.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The table {@code tributary_jobs} in the central database: one row per job (sync, backup, restore), its
 * kind, status and last known view (JSON, never with a password). A job that was running when the process stopped is
 * marked failed with error {@code interrupted} at the next start.
 */
final class JobTable {

    static final String TABLE = "tributary_jobs";
    static final String INTERRUPTED = "interrupted";

    private final Jdbc jdbc;

    JobTable(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Creates the table and returns how many jobs an earlier run of this node left running. */
    int open() {
        Dialect d = jdbc.dialect();
        return run(t -> {
            t.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id " + d.asciiKeyType(36) + " NOT NULL PRIMARY KEY,"
                    + " kind VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, error VARCHAR(2000), created_at TIMESTAMP NOT NULL,"
                    + " details " + d.textType() + " NOT NULL)" + d.tableOptions());
            return t.update("UPDATE " + TABLE + " SET status = 'failed', error = ? WHERE status = 'running'", INTERRUPTED);
        });
    }

    void insert(String id, ObjectNode view) {
        run(t -> t.update("INSERT INTO " + TABLE + " (id, kind, status, error, created_at, details)"
                + " VALUES (?, ?, ?, ?, " + jdbc.dialect().localTimestamp() + ", ?)", id, view.path("kind").asText(),
                view.path("status").asText(), null, view.toString()));
    }

    void save(String id, ObjectNode view) {
        String error = view.path("error").asText(null);
        run(t -> t.update("UPDATE " + TABLE + " SET status = ?, error = ?, details = ? WHERE id = ?",
                view.path("status").asText(), error == null || error.length() <= 2000 ? error : error.substring(0, 2000),
                view.toString(), id));
    }

    /**
     * The view of a job that still runs, so another process, or this one after a crash, shows its last
     * known progress. Never touches a job that has ended: a late checkpoint must not undo its final status.
     */
    void saveProgress(String id, ObjectNode view) {
        run(t -> t.update("UPDATE " + TABLE + " SET details = ? WHERE id = ? AND status = 'running'", view.toString(), id));
    }

    Optional<ObjectNode> find(String id) {
        return select(" WHERE id = ?", 1, id).stream().findFirst();
    }

    /** The most recent jobs first; of one kind, or all when {@code kind} is null. */
    List<ObjectNode> recent(String kind, int limit) {
        return kind == null ? select("", limit) : select(" WHERE kind = ?", limit, kind);
    }

    private List<ObjectNode> select(String where, int limit, Object... args) {
        return run(t -> t.query("SELECT status, error, details FROM " + TABLE + where + " ORDER BY created_at DESC LIMIT "
                + limit, (rs, n) -> {
                    ObjectNode view;
                    try {
                        view = (ObjectNode) Json.MAPPER.readTree(rs.getString(3));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("Stored job is not JSON", e);
                    }
                    // the columns win: the restart marks jobs interrupted there only
                    view.put("status", rs.getString(1));
                    if (rs.getString(2) != null) {
                        view.put("error", rs.getString(2));
                    }
                    return view;
                }, args));
    }

    private <T> T run(Function<JdbcTemplate, T> work) {
        try {
            return work.apply(jdbc.template());
        } catch (DataAccessException e) {
            throw new IllegalStateException("Job table: " + Jdbc.reason(e), e);
        }
    }
}
