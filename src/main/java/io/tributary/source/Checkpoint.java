package io.tributary.source;

import io.tributary.status.StatusStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Acknowledges a batch the central node has committed: deletes exactly its change rows (change-table
 * mode) and stores its watermark, in one transaction when the status table lives in the source
 * database. Both steps are idempotent, so re-running a checkpoint after a crash is harmless.
 */
public final class Checkpoint {

    private final DataSource source;
    private final String deleteSql;
    private final StatusStore status;
    private final String sourceId;
    private final KeyGaps gaps;

    /** {@code deleteFrom} null means nothing is deleted (incrementing and timestamp modes). Names are validated, unquoted. */
    public Checkpoint(DataSource source, String deleteFrom, String keyColumn, StatusStore status, String sourceId) {
        this(source, deleteFrom, keyColumn, status, sourceId, null);
    }

    /** {@code gaps} non-null for incrementing sources: the batch's gap changes are stored with its watermark. */
    Checkpoint(DataSource source, String deleteFrom, String keyColumn, StatusStore status, String sourceId, KeyGaps gaps) {
        this.gaps = gaps;
        this.source = source;
        this.deleteSql = deleteFrom == null ? null
                : "DELETE FROM " + deleteFrom + " WHERE " + keyColumn + " = ?";
        this.status = status;
        this.sourceId = sourceId;
    }

    public void commit(List<Object> keys, Watermark watermark, String position, int rows) {
        commit(keys, watermark, position, rows, List.of(), List.of());
    }

    /** Also records the key gaps the batch stepped over and takes the keys it found in earlier gaps out of them. */
    void commit(List<Object> keys, Watermark watermark, String position, int rows, List<KeyGaps.Gap> gapsSeen, List<Long> gapKeysFound) {
        try {
            if (status.dataSource() == source) {
                inTransaction(source, c -> {
                    delete(c, keys);
                    advance(c, watermark, position, rows);
                    updateGaps(c, gapsSeen, gapKeysFound);
                });
            } else {
                // Two databases: delete first. A crash in between leaves the watermark behind the deleted rows,
                // which only means the next run finds nothing there; the other order could leave rows forever.
                inTransaction(source, c -> delete(c, keys));
                inTransaction(status.dataSource(), c -> {
                    advance(c, watermark, position, rows);
                    updateGaps(c, gapsSeen, gapKeysFound);
                });
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checkpoint of source '" + sourceId + "' at " + watermark + " failed: " + e.getMessage(), e);
        }
    }

    private void delete(Connection c, List<Object> keys) throws SQLException {
        if (deleteSql == null || keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(deleteSql)) {
            for (Object key : keys) {
                ps.setObject(1, key);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void advance(Connection c, Watermark watermark, String position, int rows) throws SQLException {
        status.advance(c, sourceId, watermark.key(), watermark.timestamp(), position, rows);
    }

    private void updateGaps(Connection c, List<KeyGaps.Gap> seen, List<Long> found) throws SQLException {
        if (gaps != null && (!seen.isEmpty() || !found.isEmpty())) {
            gaps.update(c, seen, found);
        }
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private static void inTransaction(DataSource dataSource, Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
