package io.tributary.source;

import io.tributary.sql.Dialect;
import io.tributary.sql.SqlIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT first_key, last_key, seen_at_ms FROM " + table
                        + " WHERE source_id = ? AND given_up_at_ms IS NULL ORDER BY first_key")) {
            ps.setString(1, sourceId);
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
     * found in earlier gaps out of them (a gap split around each found key).
     */
    void update(Connection c, List<Gap> seen, List<Long> found) throws SQLException {
        if (!seen.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                    + " (source_id, first_key, last_key, seen_at_ms) VALUES (?, ?, ?, ?)")) {
                for (Gap gap : seen) {
                    if (!exists(c, gap.first())) { // a replayed checkpoint records nothing twice
                        bindInsert(ps, gap);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
        }
        for (long key : found) {
            Gap gap = containing(c, key);
            if (gap == null) {
                continue; // a replayed checkpoint: already taken out
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE source_id = ? AND first_key = ?")) {
                delete.setString(1, sourceId);
                delete.setLong(2, gap.first());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                    + " (source_id, first_key, last_key, seen_at_ms) VALUES (?, ?, ?, ?)")) {
                if (key > gap.first()) {
                    bindInsert(insert, new Gap(gap.first(), key - 1, gap.seenAt()));
                    insert.addBatch();
                }
                if (key < gap.last()) {
                    bindInsert(insert, new Gap(key + 1, gap.last(), gap.seenAt()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private void bindInsert(PreparedStatement ps, Gap gap) throws SQLException {
        ps.setString(1, sourceId);
        ps.setLong(2, gap.first());
        ps.setLong(3, gap.last());
        ps.setLong(4, gap.seenAt().toEpochMilli());
    }

    private boolean exists(Connection c, long first) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE source_id = ? AND first_key = ?")) {
            ps.setString(1, sourceId);
            ps.setLong(2, first);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Gap containing(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_key, last_key, seen_at_ms FROM " + table
                + " WHERE source_id = ? AND first_key <= ? AND last_key >= ? AND given_up_at_ms IS NULL")) {
            ps.setString(1, sourceId);
            ps.setLong(2, key);
            ps.setLong(3, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Gap(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3))) : null;
            }
        }
    }
}
