package io.tributary.source;

import io.tributary.sql.Jdbc;
import io.tributary.sql.SqlIdentifier;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;

/**
 * Holes in an incrementing source's key sequence that a late commit may still fill, in the style of
 * SymmetricDS's {@code sym_data_gap}. A key is taken when a transaction inserts, but becomes visible
 * when it commits: a key below the watermark can appear after the watermark passed it. Each hole the
 * reader steps over is recorded with the time it was seen, read again on later runs, and only given
 * up once it is older than {@code gapTimeoutMs} and (where the database shows its transactions) every
 * transaction that was running when it was seen has ended. Given-up gaps stay in the table, marked,
 * so an operator can see them.
 *
 * <p>Table {@code <statusTable>_gaps}, in the status table's database, written in the checkpoint's
 * transaction so gaps and watermark move together.
 */
final class KeyGaps {

    /** Open gaps a source keeps at most; beyond that the oldest are given up (and logged). */
    static final int MAX_OPEN = 10_000;
    /**
     * How long given-up gaps are still read now and then: a key handed out before its transaction
     * started (a sequence cache, an application's pooled ids) can fill a gap after it was given up.
     */
    static final Duration GIVEN_UP_RETENTION = Duration.ofHours(24);

    /** Keys {@code first..last}, inclusive, absent when seen at {@code seenAt}. */
    record Gap(long first, long last, Instant seenAt) {
        boolean contains(long key) {
            return key >= first && key <= last;
        }

        long size() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return first == last ? Long.toString(first) : first + ".." + last;
        }
    }

    private final Jdbc jdbc;
    private final String table;
    private final String sourceId;

    KeyGaps(DataSource dataSource, String statusTable, String sourceId) {
        this.jdbc = new Jdbc(dataSource);
        this.table = SqlIdentifier.requireQualified("gap table", statusTable + "_gaps");
        this.sourceId = sourceId;
    }

    void createIfMissing() {
        try {
            jdbc.create("CREATE TABLE IF NOT EXISTS " + table + " (source_id VARCHAR(200) NOT NULL,"
                    + " first_key BIGINT NOT NULL, last_key BIGINT NOT NULL, seen_at_ms BIGINT NOT NULL, given_up_at_ms BIGINT NULL,"
                    + " PRIMARY KEY (source_id, first_key))" + jdbc.dialect().tableOptions());
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot create gap table " + table + ": " + Jdbc.reason(e), e);
        }
    }

    /** The open gaps, lowest first. */
    List<Gap> open() {
        return gaps("given_up_at_ms IS NULL", sourceId);
    }

    /** Gaps given up since {@code since}, lowest first. */
    List<Gap> givenUpSince(Instant since) {
        return gaps("given_up_at_ms >= ?", sourceId, since.toEpochMilli());
    }

    /** This source's gaps matching {@code condition}; {@code args} bind the source id, then the condition. */
    private List<Gap> gaps(String condition, Object... args) {
        return jdbc.template().query("SELECT first_key, last_key, seen_at_ms FROM " + table + " WHERE source_id = ? AND "
                + condition + " ORDER BY first_key", (rs, row) -> new Gap(rs.getLong(1), rs.getLong(2),
                Instant.ofEpochMilli(rs.getLong(3))), args);
    }

    /** Forgets gaps given up longer ago than the retention. */
    void purgeGivenUpBefore(Instant before) {
        jdbc.template().update("DELETE FROM " + table + " WHERE source_id = ? AND given_up_at_ms < ?", sourceId, before.toEpochMilli());
    }

    /** How many gaps were given up so far, for status and health. */
    long givenUp() {
        return jdbc.template().queryForObject("SELECT COUNT(*) FROM " + table + " WHERE source_id = ? AND given_up_at_ms IS NOT NULL",
                Long.class, sourceId);
    }

    /** Marks gaps given up: no row can appear in them any more (or too many were open). */
    void giveUp(List<Gap> gaps, Instant now) {
        jdbc.template().batchUpdate("UPDATE " + table + " SET given_up_at_ms = ? WHERE source_id = ? AND first_key = ? AND given_up_at_ms IS NULL",
                gaps.stream().map(gap -> new Object[] {now.toEpochMilli(), sourceId, gap.first()}).toList());
    }

    /**
     * Inside the checkpoint's transaction (on the same data source, so on its connection): records the
     * gaps a batch stepped over and takes the keys it found in gaps out of them (a gap split around each
     * found key, keeping its times). Only the parts of a seen gap that no stored gap covers are recorded,
     * so a replayed checkpoint, or a second reading of the same keys, never stores a key twice.
     */
    void update(List<Gap> seen, List<Long> found) {
        for (Gap gap : seen) {
            long next = gap.first();
            for (StoredGap stored : overlapping(gap.first(), gap.last())) {
                if (stored.first() > next) {
                    insert(new StoredGap(next, stored.first() - 1, gap.seenAt(), null));
                }
                next = Math.max(next, stored.last() + 1);
            }
            if (next <= gap.last()) {
                insert(new StoredGap(next, gap.last(), gap.seenAt(), null));
            }
        }
        for (long key : found) {
            List<StoredGap> containing = overlapping(key, key);
            if (containing.isEmpty()) {
                continue; // a replayed checkpoint: already taken out
            }
            StoredGap gap = containing.get(0);
            // a gap that keeps its start is shortened in place (same primary key), not deleted and inserted again
            if (key > gap.first()) {
                jdbc.template().update("UPDATE " + table + " SET last_key = ? WHERE source_id = ? AND first_key = ?",
                        key - 1, sourceId, gap.first());
            } else {
                jdbc.template().update("DELETE FROM " + table + " WHERE source_id = ? AND first_key = ?", sourceId, gap.first());
            }
            if (key < gap.last()) {
                insert(new StoredGap(key + 1, gap.last(), gap.seenAt(), gap.givenUpAt()));
            }
        }
    }

    /** A row of the gap table, given up or not. */
    private record StoredGap(long first, long last, Instant seenAt, Long givenUpAt) {
    }

    private List<StoredGap> overlapping(long first, long last) {
        return jdbc.template().query("SELECT first_key, last_key, seen_at_ms, given_up_at_ms FROM " + table
                + " WHERE source_id = ? AND first_key <= ? AND last_key >= ? ORDER BY first_key",
                (rs, row) -> new StoredGap(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getObject(4, Long.class)), sourceId, last, first);
    }

    private void insert(StoredGap gap) {
        jdbc.template().update("INSERT INTO " + table + " (source_id, first_key, last_key, seen_at_ms, given_up_at_ms)"
                + " VALUES (?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, sourceId);
                    ps.setLong(2, gap.first());
                    ps.setLong(3, gap.last());
                    ps.setLong(4, gap.seenAt().toEpochMilli());
                    ps.setObject(5, gap.givenUpAt(), Types.BIGINT);
                });
    }
}
