package io.tributary.source;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.JsonColumnValue;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * Reads the next changes of one source table past a watermark, in the source's order, at most
 * {@code maxChanges} rows. Values are turned into JSON-friendly Java types here, while the
 * connection is still open (LOBs are only readable then).
 */
public final class ChangeFeed {

    /**
     * One change row: its key and timestamp as the watermark needs them, and its column values for the
     * document. {@code names} is one array shared by every row of a read (attribute names in column order).
     */
    public record Change(String key, LocalDateTime timestamp, String[] names, Object[] values, KeyGaps.Gap gapBefore,
                         boolean fromGap) {
        public Change(String key, LocalDateTime timestamp, String[] names, Object[] values) {
            this(key, timestamp, names, values, null, false);
        }

        public Watermark watermark() {
            return new Watermark(key, timestamp);
        }

        /** This change, noting the hole in the key sequence just before it. */
        Change withGapBefore(KeyGaps.Gap gap) {
            return new Change(key, timestamp, names, values, gap, fromGap);
        }

        /** This change, noting that it filled a hole seen earlier (its key is below the watermark). */
        Change asFromGap() {
            return new Change(key, timestamp, names, values, gapBefore, true);
        }
    }

    private final JdbcTemplate jdbc;
    private final Dialect dialect;
    private final String table;
    private final String keyColumn;
    private final String timestampColumn;
    private final ColumnCase columnCase;

    /**
     * Names are validated by the caller and used unquoted, so they follow the database's usual case
     * rules exactly as in the user's own SQL (H2 upper-cases, PostgreSQL lower-cases).
     */
    public ChangeFeed(DataSource dataSource, Dialect dialect, String table, String keyColumn, String timestampColumn,
                      ColumnCase columnCase) {
        this.jdbc = new Jdbc(dataSource).template();
        this.dialect = dialect;
        this.table = table;
        this.keyColumn = keyColumn;
        this.timestampColumn = timestampColumn;
        this.columnCase = columnCase;
    }

    /** The JDBC type of the key column, for {@code keyOrder=auto}. */
    public int keyColumnType() {
        return jdbc.query("SELECT " + keyColumn + " FROM " + table + " WHERE 1 = 0",
                (ResultSetExtractor<Integer>) rs -> rs.getMetaData().getColumnType(1));
    }

    /**
     * The changes after {@code after} (null = from the beginning). In timestamp mode only rows stamped
     * at or before {@code newestTimestamp} are read (see {@link TimestampBound}), so transactions still
     * running with an earlier timestamp can commit before the watermark passes them.
     */
    public List<Change> read(KeyOrder order, Watermark after, int maxChanges, LocalDateTime newestTimestamp) {
        List<Object> args = new ArrayList<>();
        List<String> conditions = after(order, after, args);
        String orderBy;
        if (timestampColumn == null) {
            orderBy = order.orderBy(dialect, keyColumn);
        } else {
            conditions.add(timestampColumn + " <= ?");
            args.add(newestTimestamp);
            orderBy = timestampColumn + ", " + order.orderBy(dialect, keyColumn);
        }
        args.add(maxChanges);
        String sql = "SELECT * FROM " + table + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY " + orderBy + " LIMIT ?";
        return jdbc.query(sql, this::changes, args.toArray());
    }

    /**
     * The rows waiting after {@code after} (null = every row), counted up to {@code limit}, in one statement.
     *
     * @param rows   at most {@code limit}
     * @param oldest the smallest {@code timeColumn} value among the counted rows (null without a time column or
     *               without rows)
     * @param clock  the database's clock when it counted (null without a time column)
     */
    record Waiting(long rows, LocalDateTime oldest, SourceClock.Reading clock) {
    }

    /**
     * How many rows lie after {@code after} (null = every row), counting at most {@code limit}: the cost of
     * one bounded index range read whatever the table's size. Timestamp mode counts rows inside the safety
     * lag too, which are waiting as well. With a {@code timeColumn} the same statement reads the oldest
     * waiting row's time and the database clock: then the range is read in the feed's own order (an index
     * the runs use anyway), so the oldest is right also when more than {@code limit} rows wait (timestamp
     * mode) or, in key order, the time of the oldest change (a change table).
     */
    Waiting countAfter(KeyOrder order, Watermark after, long limit, String timeColumn) {
        List<Object> args = new ArrayList<>();
        List<String> conditions = after(order, after, args);
        args.add(limit);
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        if (timeColumn == null) {
            Long count = jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT 1 AS one FROM " + table + where + " LIMIT ?) waiting",
                    Long.class, args.toArray());
            return new Waiting(count == null ? 0 : count, null, null);
        }
        String orderBy = (timestampColumn == null ? "" : timestampColumn + ", ") + order.orderBy(dialect, keyColumn);
        return jdbc.queryForObject("SELECT COUNT(*), MIN(changed), " + dialect.epochSecondsNow() + ", "
                + dialect.serverLocalTimestamp() + " FROM (SELECT " + timeColumn + " AS changed FROM " + table + where
                + " ORDER BY " + orderBy + " LIMIT ?) waiting", (rs, n) -> new Waiting(rs.getLong(1),
                rs.getObject(2, LocalDateTime.class), SourceClock.reading(rs.getBigDecimal(3), rs.getObject(4, LocalDateTime.class))),
                args.toArray());
    }

    /** The conditions "after the watermark" in the source's order; their values are added to {@code args}. */
    private List<String> after(KeyOrder order, Watermark after, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        if (after == null) {
            return conditions;
        }
        if (timestampColumn == null) {
            conditions.add(order.afterCondition(dialect, keyColumn));
        } else {
            String ts = timestampColumn;
            // "ts >= ?" gives an index on (ts, key) a range start; without it every run scans
            // the index from its beginning and filters, which is quadratic in the table size.
            conditions.add(ts + " >= ? AND (" + ts + " > ? OR (" + ts + " = ? AND " + order.afterCondition(dialect, keyColumn) + "))");
            args.addAll(Collections.nCopies(3, after.timestamp()));
        }
        args.addAll(order.afterValues(after.key()));
        return conditions;
    }

    /** Rows whose numeric key lies in one of the gaps, in key order, at most {@code maxChanges}. */
    public List<Change> readGaps(List<KeyGaps.Gap> gaps, int maxChanges) {
        List<Change> found = new ArrayList<>();
        Jdbc.inChunks(gaps, part -> {
            if (found.size() >= maxChanges) {
                return;
            }
            String ranges = String.join(" OR ", Collections.nCopies(part.size(), keyColumn + " BETWEEN ? AND ?"));
            List<Object> args = new ArrayList<>();
            part.forEach(gap -> args.addAll(List.of(gap.first(), gap.last())));
            args.add(maxChanges - found.size());
            jdbc.query("SELECT * FROM " + table + " WHERE " + ranges + " ORDER BY " + keyColumn + " LIMIT ?", this::changes,
                    args.toArray()).forEach(change -> found.add(change.asFromGap()));
        });
        return found;
    }

    /** Runs {@code work} on a connection to the source database (for its clock). */
    <T> T withConnection(ConnectionCallback<T> work) {
        return jdbc.execute(work);
    }

    /** The rows of a {@code SELECT *} of this table as changes; also what a verify builds its documents from. */
    public List<Change> changes(ResultSet rs) throws SQLException {
        return next(rs, Integer.MAX_VALUE);
    }

    /** The next {@code max} rows at most, as {@link #changes}: a verify converts a streamed result a window at a time. */
    public List<Change> next(ResultSet rs, int max) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        int keyIndex = -1;
        int tsIndex = -1;
        String[] names = new String[columns];
        for (int i = 1; i <= columns; i++) {
            String label = meta.getColumnLabel(i);
            names[i - 1] = columnCase.apply(label);
            if (label.equalsIgnoreCase(keyColumn)) {
                keyIndex = i;
            }
            if (timestampColumn != null && label.equalsIgnoreCase(timestampColumn)) {
                tsIndex = i;
            }
        }
        JsonColumnValue.Reader[] readers = JsonColumnValue.readers(meta);
        List<Change> changes = new ArrayList<>();
        while (changes.size() < max && rs.next()) {
            Object[] values = new Object[columns];
            for (int i = 0; i < columns; i++) {
                values[i] = readers[i].read(rs);
            }
            String key = rs.getString(keyIndex);
            LocalDateTime timestamp = tsIndex < 0 ? null : rs.getObject(tsIndex, LocalDateTime.class);
            changes.add(new Change(key, timestamp, names, values));
        }
        return changes;
    }

    /** How column labels become attribute names. H2 upper-cases unquoted names, so {@code lower} is the default. */
    public enum ColumnCase {
        LOWER, UPPER, PRESERVE;

        public static ColumnCase parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Invalid columnCase '" + value + "': use lower, upper or preserve");
            }
        }

        String apply(String label) {
            return switch (this) {
                case LOWER -> label.toLowerCase(Locale.ROOT);
                case UPPER -> label.toUpperCase(Locale.ROOT);
                case PRESERVE -> label;
            };
        }
    }
}
