package io.tributary.source;

import io.tributary.sql.Jdbc;
import io.tributary.status.StatusStore;
import java.util.List;
import javax.sql.DataSource;

/**
 * Acknowledges a batch the central node has committed: deletes exactly its change rows (change-table
 * mode) and stores its watermark, in one transaction when the status table lives in the source
 * database. Both steps are idempotent, so re-running a checkpoint after a crash (or after a collision
 * with a concurrent transaction) is harmless.
 */
final class Checkpoint {

    private final Jdbc source;
    private final Jdbc statusDatabase;
    private final String deleteSql;
    private final StatusStore status;
    private final String sourceId;
    private final KeyGaps gaps;

    /**
     * {@code deleteFrom} null means nothing is deleted (incrementing and timestamp modes); {@code gaps}
     * non-null for incrementing sources: the batch's gap changes are stored with its watermark. Names are
     * validated, unquoted.
     */
    Checkpoint(DataSource source, String deleteFrom, String keyColumn, StatusStore status, String sourceId, KeyGaps gaps) {
        this.source = new Jdbc(source);
        this.statusDatabase = status.dataSource() == source ? this.source : new Jdbc(status.dataSource());
        this.deleteSql = deleteFrom == null ? null : "DELETE FROM " + deleteFrom + " WHERE " + keyColumn + " = ?";
        this.status = status;
        this.sourceId = sourceId;
        this.gaps = gaps;
    }

    /** Also records the key gaps the batch stepped over and takes the keys it found in earlier gaps out of them. */
    void commit(List<Object> keys, Watermark watermark, String position, int rows, List<KeyGaps.Gap> gapsSeen, List<Long> gapKeysFound) {
        String what = "Checkpoint of source '" + sourceId + "' at " + watermark;
        if (statusDatabase == source) {
            source.transaction(what, tx -> {
                delete(keys);
                return advance(watermark, position, rows, gapsSeen, gapKeysFound);
            });
        } else {
            // Two databases: delete first. A crash in between leaves the watermark behind the deleted rows,
            // which only means the next run finds nothing there; the other order could leave rows forever.
            source.transaction(what, tx -> delete(keys));
            statusDatabase.transaction(what, tx -> advance(watermark, position, rows, gapsSeen, gapKeysFound));
        }
    }

    private int[] delete(List<Object> keys) {
        if (deleteSql == null || keys.isEmpty()) {
            return new int[0];
        }
        return source.template().batchUpdate(deleteSql, keys.stream().map(key -> new Object[] {key}).toList());
    }

    private boolean advance(Watermark watermark, String position, int rows, List<KeyGaps.Gap> seen, List<Long> found) {
        boolean advanced = status.advance(sourceId, watermark.key(), watermark.timestamp(), position, rows);
        if (gaps != null && (!seen.isEmpty() || !found.isEmpty())) {
            gaps.update(seen, found);
        }
        return advanced;
    }
}
