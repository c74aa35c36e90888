package io.tributary.twoway;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.NewerWinsUpsert;
import io.tributary.sql.SqlIdentifier;
import java.math.BigDecimal;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.TransactionException;

/**
 * A SQL table as one side of a two-way pair: a key column, a last-change timestamp column (read through
 * an index on it, if there is one, since every read is a range on it) and content columns. Rows are
 * written by {@link NewerWinsUpsert}, one statement per batch.
 */
final class SqlTableStore implements TwoWayStore {

    /** Rows per conditional statement. */
    static final int BATCH = 200;

    private final String beanName;
    private final Jdbc jdbc;
    private final Dialect d;
    private final String table;
    private final String key;
    private final String time;
    private final String deleted;
    private final Map<String, Integer> types = new LinkedHashMap<>();
    private final List<String> content;
    private final NewerWinsUpsert upsert;
    private final String hash;

    /** Reads the table's columns; fails naming a missing key, time or deleted-flag column. */
    SqlTableStore(String beanName, Jdbc jdbc, String table, String keyColumn, String timeColumn, String deletedColumn) {
        this.beanName = beanName;
        this.jdbc = jdbc;
        this.d = jdbc.dialect();
        this.table = SqlIdentifier.requireQualified("table", table);
        this.key = SqlIdentifier.require("keyColumn", keyColumn).toLowerCase(Locale.ROOT);
        this.time = SqlIdentifier.require("timestampColumn", timeColumn).toLowerCase(Locale.ROOT);
        this.deleted = deletedColumn == null ? null : SqlIdentifier.require("deletedColumn", deletedColumn).toLowerCase(Locale.ROOT);
        Map<String, String> typeNames = new HashMap<>();
        try {
            jdbc.template().query("SELECT * FROM " + table + " WHERE 1 = 0", (ResultSetExtractor<Void>) rs -> {
                ResultSetMetaData m = rs.getMetaData();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    String name = m.getColumnLabel(i).toLowerCase(Locale.ROOT);
                    types.put(name, m.getColumnType(i));
                    typeNames.put(name, typeName(m, i));
                }
                return null;
            });
        } catch (DataAccessException e) {
            throw new IllegalArgumentException("Cannot read table " + table + " of DataSource '" + beanName + "': " + Jdbc.reason(e), e);
        }
        for (String c : deleted == null ? List.of(key, time) : List.of(key, time, deleted)) {
            if (!types.containsKey(c)) {
                throw new IllegalArgumentException("Table " + table + " of DataSource '" + beanName + "' has no column " + c);
            }
        }
        this.content = types.keySet().stream().filter(c -> !c.equals(key) && !c.equals(time)).sorted().toList();
        List<String> order = new ArrayList<>(List.of(key, time));
        order.addAll(content);
        this.upsert = new NewerWinsUpsert(d, table, key, time, content, order.stream().map(typeNames::get).toList());
        this.hash = upsert.contentHash(null);
    }

    /** The content columns (all but key and time), sorted: what the content hash reads. */
    List<String> content() {
        return content;
    }

    String key() {
        return key;
    }

    String time() {
        return time;
    }

    @Override
    public String name() {
        return beanName + ":" + table;
    }

    /**
     * A timestamp set inside a transaction is never earlier than the transaction's start, so where the
     * database shows its running transactions, rows older than the oldest one's start can no longer appear
     * late (the timestamp capture mode's rule, docs/sources.md). Its start is turned into the column's local
     * time by its distance from the clock, so no time zone is involved.
     */
    @Override
    public Optional<LocalDateTime> settled(long safetyLagMs) {
        Map<String, Object> clock = jdbc.template().queryForMap("SELECT " + d.localTimestamp() + " AS local_now, "
                + d.epochSecondsNow() + " AS epoch_now");
        Object raw = clock.get("local_now");
        LocalDateTime localNow = raw instanceof Timestamp t ? t.toLocalDateTime() : raw instanceof LocalDateTime l ? l
                : LocalDateTime.parse(String.valueOf(raw).replace(' ', 'T'));
        LocalDateTime bound = localNow.minusNanos(safetyLagMs * 1_000_000L);
        String transactions = d.oldestTransactionQuery();
        if (transactions != null) {
            Map<String, Object> oldest = jdbc.template().queryForMap(transactions);
            Object[] v = oldest.values().toArray();
            if (v[0] != null && ((Number) v[1]).longValue() == 0) {
                BigDecimal age = new BigDecimal(clock.get("epoch_now").toString()).subtract(new BigDecimal(v[0].toString()));
                LocalDateTime start = localNow.minusNanos(age.movePointRight(9).longValue()).minusSeconds(1);
                if (start.isBefore(bound)) {
                    bound = start;
                }
            }
        }
        return Optional.of(bound);
    }

    @Override
    public List<TwoWayRow> changed(LocalDateTime after, LocalDateTime upTo, TwoWayRow cursor, int limit) {
        String columns = String.join(", ", types.keySet());
        String sql = "SELECT " + columns + ", " + hash + " AS tributary_hash FROM " + table + " WHERE " + time + " > ? AND "
                + time + " <= ?" + (cursor == null ? "" : " AND (" + time + " > ? OR (" + time + " = ? AND " + key + " > ?))")
                + " ORDER BY " + time + ", " + key + " LIMIT " + limit;
        List<Object> args = new ArrayList<>(List.of(after, upTo));
        if (cursor != null) {
            args.addAll(List.of(cursor.time(), cursor.time(), coerce(cursor.key(), types.get(key))));
        }
        try {
            return jdbc.read(s -> jdbc.template().query(sql, (rs, n) -> row(rs), args.toArray()));
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Cannot read changes of " + name() + ": " + Jdbc.reason(e), e);
        }
    }

    private TwoWayRow row(ResultSet rs) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        int i = 1;
        for (String c : types.keySet()) {
            values.put(c, valueOf(rs.getObject(i++)));
        }
        return new TwoWayRow(values.get(key), (LocalDateTime) values.get(time), rs.getString(i), values);
    }

    private static Object valueOf(Object raw) throws SQLException {
        if (raw instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (raw instanceof Clob c) {
            return c.getSubString(1, (int) c.length());
        }
        return raw;
    }

    /**
     * Before the statement, the stored time and hash of the batch's keys are read, locked, in the same
     * transaction: only to report ties and skips. The statement alone decides what is written.
     */
    @Override
    public Applied apply(List<TwoWayRow> rows) {
        if (rows.isEmpty()) {
            return new Applied(0, 0, 0, 0);
        }
        List<TwoWayRow> sorted = rows.stream().sorted(Comparator.comparing(r -> String.valueOf(r.key()))).toList();
        try {
            return jdbc.transaction("two-way write into " + name(), s -> {
                long applied = 0;
                long skipped = 0;
                long ties = 0;
                long tombstones = 0;
                for (int from = 0; from < sorted.size(); from += BATCH) {
                    List<TwoWayRow> batch = sorted.subList(from, Math.min(sorted.size(), from + BATCH));
                    Map<String, Object[]> stored = stored(batch);
                    write(batch);
                    for (TwoWayRow r : batch) {
                        Object[] was = stored.get(String.valueOf(coerce(r.key(), types.get(key))));
                        LocalDateTime wasTime = was == null ? null : (LocalDateTime) was[0];
                        boolean tie = wasTime != null && wasTime.equals(r.time()) && !r.hash().equals(was[1]);
                        boolean wins = was == null || wasTime == null || r.time().isAfter(wasTime)
                                || tie && r.hash().compareTo((String) was[1]) > 0;
                        ties += tie ? 1 : 0;
                        if (wins) {
                            applied++;
                            tombstones += r.deleted(deleted) ? 1 : 0;
                        } else {
                            skipped++;
                        }
                    }
                }
                return new Applied(applied, skipped, ties, tombstones);
            });
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Cannot write into " + name() + ": " + Jdbc.reason(e), e);
        }
    }

    private Map<String, Object[]> stored(List<TwoWayRow> batch) {
        Map<String, Object[]> found = new HashMap<>();
        List<Object> keys = batch.stream().map(r -> coerce(r.key(), types.get(key))).toList();
        jdbc.named().query("SELECT " + key + ", " + time + ", " + hash + " FROM " + table + " WHERE " + key + " IN (:keys) FOR UPDATE",
                Map.of("keys", keys), rs -> {
                    Timestamp t = rs.getTimestamp(2);
                    found.put(String.valueOf(valueOf(rs.getObject(1))), new Object[] {t == null ? null : t.toLocalDateTime(),
                            rs.getString(3)});
                });
        return found;
    }

    private void write(List<TwoWayRow> batch) {
        List<String> order = new ArrayList<>(List.of(key, time));
        order.addAll(content);
        jdbc.template().update(upsert.sql(batch.size()), (PreparedStatement ps) -> {
            int p = 1;
            for (TwoWayRow r : batch) {
                for (String c : order) {
                    Object v = c.equals(time) ? r.time() : c.equals(key) ? r.key() : r.values().get(c);
                    ps.setObject(p++, coerce(v, types.get(c)));
                }
            }
        });
    }

    /** A value from the other side (another database's type, or JSON) as this column's type. */
    static Object coerce(Object v, int sqlType) {
        if (v == null) {
            return null;
        }
        switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
                return v instanceof Number n ? (Object) n.longValue() : v instanceof Boolean b ? (b ? 1L : 0L)
                        : Long.parseLong(v.toString());
            }
            case Types.DECIMAL, Types.NUMERIC -> {
                return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
            }
            case Types.BOOLEAN, Types.BIT -> {
                return v instanceof Boolean b ? b : v instanceof Number n ? n.doubleValue() != 0 : Boolean.parseBoolean(v.toString());
            }
            case Types.TIMESTAMP -> {
                return v instanceof LocalDateTime t ? t : LocalDateTime.parse(v.toString().replace(' ', 'T'));
            }
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.CLOB -> {
                return v instanceof BigDecimal b ? b.toPlainString() : v.toString();
            }
            default -> {
                return v;
            }
        }
    }

    private static String typeName(ResultSetMetaData m, int i) throws SQLException {
        String name = m.getColumnTypeName(i);
        return switch (m.getColumnType(i)) {
            case Types.DECIMAL, Types.NUMERIC -> name + "(" + m.getPrecision(i) + ", " + m.getScale(i) + ")";
            case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR -> name + "(" + m.getPrecision(i) + ")";
            case Types.TIMESTAMP -> name + "(" + Math.max(0, m.getScale(i)) + ")";
            default -> name;
        };
    }

    @Override
    public String toString() {
        return name() + " " + types.keySet().stream().collect(Collectors.joining(","));
    }
}
