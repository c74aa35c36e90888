package io.tributary.source;

import io.tributary.sql.Dialect;
import io.tributary.sql.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

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
    /** Ranges per query when reading rows that appeared in gaps. */
    static final int RANGES_PER_QUERY = 100;
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

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String table;
    private final String sourceId;

    KeyGaps(DataSource dataSource, String statusTable, String sourceId) {
        this.dataSource = dataSource;
        this.dialect = Dialect.of(dataSource);
        this.table = SqlIdentifier.requireQualified("gap table", statusTable + "_gaps");
        this.sourceId = sourceId;
    }

    String table() {
        return table;
    }

    void createIfMissing() {
        String sql = "CREATE TABLE IF NOT EXISTS " + table + " (source_id VARCHAR(200) NOT NULL, first_key BIGINT NOT NULL,"
                + " last_key BIGINT NOT NULL, seen_at_ms BIGINT NOT NULL, given_up_at_ms BIGINT NULL,"
                + " PRIMARY KEY (source_id, first_key))" + dialect.tableOptions();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            // two sources starting together may race on CREATE; only fail if the table is really missing
            try {
                open();
            } catch (IllegalStateException missing) {
                throw new IllegalStateException("Cannot create gap table " + table + ": " + e.getMessage(), e);
            }
        }
    }

    /** The open gaps, lowest first. */
    List<Gap> open() {
        return select("given_up_at_ms IS NULL", null);
    }

    /** Gaps given up since {@code since}, lowest first. */
    List<Gap> givenUpSince(Instant since) {
        return select("given_up_at_ms >= ?", since.toEpochMilli());
    }

    /** Forgets gaps given up longer ago than the retention. */
    void purgeGivenUpBefore(Instant before) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM " + table + " WHERE source_id = ? AND given_up_at_ms < ?")) {
            ps.setString(1, sourceId);
            ps.setLong(2, before.toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot purge old gaps of source '" + sourceId + "': " + e.getMessage(), e);
        }
    }

    private List<Gap> select(String condition, Long bound) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT first_key, last_key, seen_at_ms FROM " + table
                        + " WHERE source_id = ? AND " + condition + " ORDER BY first_key")) {
            ps.setString(1, sourceId);
            if (bound != null) {
                ps.setLong(2, bound);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Gap> gaps = new ArrayList<>();
                while (rs.next()) {
                    gaps.add(new Gap(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return gaps;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the key gaps of source '" + sourceId + "' from " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /** How many gaps were given up so far, for status and health. */
    long givenUp() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE source_id = ? AND given_up_at_ms IS NOT NULL")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count given-up gaps of source '" + sourceId + "': " + e.getMessage(), e);
        }
    }

    /** Marks gaps given up: no row can appear in them any more (or too many were open). */
    void giveUp(List<Gap> gaps, Instant now) {
        if (gaps.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE " + table + " SET given_up_at_ms = ? WHERE source_id = ? AND first_key = ? AND given_up_at_ms IS NULL")) {
            for (Gap gap : gaps) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, sourceId);
                ps.setLong(3, gap.first());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot give up gaps of source '" + sourceId + "': " + e.getMessage(), e);
        }
    }

    /**
     * Inside the checkpoint's transaction: records the gaps a batch stepped over and takes the keys it
     * found in gaps out of them (a gap split around each found key, keeping its times). Only the parts
     * of a seen gap that no stored gap covers are recorded, so a replayed checkpoint, or a second
     * reading of the same keys, never stores a key twice.
     */
    void update(Connection c, List<Gap> seen, List<Long> found) throws SQLException {
        for (Gap gap : seen) {
            long next = gap.first();
            for (StoredGap stored : overlapping(c, gap.first(), gap.last())) {
                if (stored.first() > next) {
                    insert(c, new StoredGap(next, stored.first() - 1, gap.seenAt(), null));
                }
                next = Math.max(next, stored.last() + 1);
            }
            if (next <= gap.last()) {
                insert(c, new StoredGap(next, gap.last(), gap.seenAt(), null));
            }
        }
        for (long key : found) {
            List<StoredGap> containing = overlapping(c, key, key);
            if (containing.isEmpty()) {
                continue; // a replayed checkpoint: already taken out
            }
            StoredGap gap = containing.get(0);
            // a gap that keeps its start is shortened in place (same primary key), not deleted and inserted again
            if (key > gap.first()) {
                try (PreparedStatement shorten = c.prepareStatement(
                        "UPDATE " + table + " SET last_key = ? WHERE source_id = ? AND first_key = ?")) {
                    shorten.setLong(1, key - 1);
                    shorten.setString(2, sourceId);
                    shorten.setLong(3, gap.first());
                    shorten.executeUpdate();
                }
            } else {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE source_id = ? AND first_key = ?")) {
                    delete.setString(1, sourceId);
                    delete.setLong(2, gap.first());
                    delete.executeUpdate();
                }
            }
            if (key < gap.last()) {
                insert(c, new StoredGap(key + 1, gap.last(), gap.seenAt(), gap.givenUpAt()));
            }
        }
    }

    /** A row of the gap table, given up or not. */
    private record StoredGap(long first, long last, Instant seenAt, Long givenUpAt) {
    }

    private List<StoredGap> overlapping(Connection c, long first, long last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_key, last_key, seen_at_ms, given_up_at_ms FROM " + table
                + " WHERE source_id = ? AND first_key <= ? AND last_key >= ? ORDER BY first_key")) {
            ps.setString(1, sourceId);
            ps.setLong(2, last);
            ps.setLong(3, first);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredGap> gaps = new ArrayList<>();
                while (rs.next()) {
                    long givenUpMs = rs.getLong(4);
                    // wasNull describes the column read last, so it is asked right after this one
                    Long givenUp = rs.wasNull() ? null : givenUpMs;
                    gaps.add(new StoredGap(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)), givenUp));
                }
                return gaps;
            }
        }
    }

    private void insert(Connection c, StoredGap gap) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (source_id, first_key, last_key, seen_at_ms, given_up_at_ms) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, sourceId);
            ps.setLong(2, gap.first());
            ps.setLong(3, gap.last());
            ps.setLong(4, gap.seenAt().toEpochMilli());
            if (gap.givenUpAt() == null) {
                ps.setNull(5, Types.BIGINT);
            } else {
                ps.setLong(5, gap.givenUpAt());
            }
            ps.executeUpdate();
        }
    }
}
