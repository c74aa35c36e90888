package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.ListedTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * A SQL table as a backup's source. The whole backup is read in one read-only transaction at REPEATABLE
 * READ ({@link Jdbc#snapshot}): PostgreSQL and MariaDB (InnoDB) then read every statement from the snapshot
 * taken at the first one, so the partitions found and the rows written are one consistent state of the
 * table, however long the backup takes and whatever is written meanwhile.
 */
final class SqlBackupSource implements BackupSource {

    private final Jdbc jdbc;
    private final BackupSpec spec;
    private final String identity;
    private final List<SqlColumn> selected = new ArrayList<>();
    private final Map<String, SqlColumn> tableColumns;
    private final SqlColumn key;
    private final SqlColumn partitionColumn;
    private final RowFilter filter;

    SqlBackupSource(DataSource dataSource, BackupSpec spec) {
        this.jdbc = new Jdbc(dataSource);
        this.spec = spec;
        ListedTables.refuseSystemCatalog(spec.table());
        this.tableColumns = SqlTableColumns.of(jdbc, spec.table(), "source table");
        this.key = column(spec.keyColumn(), "source.keyColumn");
        this.partitionColumn = spec.partitionColumn() == null ? null : column(spec.partitionColumn(), "partitionBy.column");
        // a time-zoned column has no day of its own: the database would cut it in its session's zone, the
        // restore's bounds in another
        if ((spec.by().equals("day") || spec.by().equals("month"))
                && !Set.of(SqlColumn.Kind.DATE, SqlColumn.Kind.TIMESTAMP).contains(partitionColumn.kind())) {
            throw ApiException.badParameter("'partitionBy.column': by " + spec.by() + " needs a date or timestamp column"
                    + " without time zone, and " + partitionColumn.name() + " is " + partitionColumn.kind()
                    + (partitionColumn.kind() == SqlColumn.Kind.TIMESTAMPTZ ? " (partition by keys or value instead)" : ""));
        }
        if (spec.columns() == null) {
            selected.addAll(tableColumns.values());
        } else {
            selected.add(key);
            for (String name : spec.columns()) {
                SqlColumn c = column(name, "columns");
                if (!selected.contains(c)) {
                    selected.add(c);
                }
            }
        }
        this.filter = spec.where() == null ? null : RowFilter.parse(spec.where(),
                tableColumns.values().stream().map(SqlColumn::name).collect(Collectors.toSet()));
        this.identity = SourceIdentity.ofTable(dataSource, spec.table());
    }

    private SqlColumn column(String name, String field) {
        SqlColumn c = tableColumns.get(name.toLowerCase(Locale.ROOT));
        if (c == null) {
            throw ApiException.badParameter("'" + field + "': table " + spec.table()
                    + " has no column '" + name + "' (it has " + tableColumns.values().stream().map(SqlColumn::name).toList() + ")");
        }
        return c;
    }

    @Override
    public ObjectNode describe() {
        return Json.MAPPER.createObjectNode().put("kind", "table").put("dataSource", spec.dataSource())
                .put("table", spec.table()).put("keyColumn", key.name()).put("product", jdbc.dialect().name())
                .put("identity", identity);
    }

    @Override
    public JsonNode columns() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        selected.forEach(c -> a.addObject().put("name", c.name()).put("type", c.kind().name()));
        return a;
    }

    @Override
    public String keyColumn() {
        return key.name();
    }

    /** The filter as the manifest records it: the condition as parsed and printed again. */
    @Override
    public JsonNode filter() {
        return filter == null ? Json.MAPPER.nullNode() : Json.MAPPER.createObjectNode().put("where", filter.text());
    }

    @Override
    public void read(Reader reader, JobControl control) {
        snapshot(c -> {
                String readAt = readAt(c);
                JsonNode position = position(c);
                PostgresCopyOut copyOut = jdbc.dialect() == Dialect.POSTGRESQL ? PostgresCopyOut.of(c, spec.table(), selected) : null;
                if (copyOut != null && reader.writes() && inOnePass(c, copyOut, reader, readAt, position, control)) {
                    return null;
                }
                List<BackupPlan> plans = plan(c, control);
                if (reader.planned(readAt, position, plans)) {
                    for (BackupPlan plan : plans) {
                        control.check();
                        BackupSource.RowOutput out = reader.partition(plan);
                        if (copyOut == null || !copied(c, copyOut, plan, out, control)) {
                            rows(c, plan, rs -> write(rs, out), control, true);
                        }
                        reader.partitionDone(plan);
                    }
                }
                return null;
        });
    }

    /** At most this many partition files are open at once in a backup read in one pass. */
    static final int ONE_PASS_FILES = 16;

    /** Why a backup read in one pass gives up: the partitions are then found first and read one by one. */
    private static final class OnePassDeclined extends RuntimeException {
        OnePassDeclined() {
            super(null, null, false, false);
        }
    }

    /**
     * PostgreSQL, whole table or by day or month: the selection read with ONE {@code COPY} in the table's own
     * order (no scan to find the partitions first, no sort), each row routed by its partition label to its
     * file, files opened as their first row comes. Gives up (false, nothing written, the snapshot unchanged)
     * on a row that belongs to no partition, a date this way cannot name, or more than
     * {@link #ONE_PASS_FILES} partitions: the partitions are then found first and read one by one, as elsewhere.
     */
    private boolean inOnePass(Connection c, PostgresCopyOut copyOut, Reader reader, String readAt, JsonNode position,
                              JobControl control) throws SQLException {
        String label = switch (spec.by()) {
            case "none" -> "''";
            case "day" -> "CAST(" + partitionColumn.name() + " AS DATE)";
            // the month's first day: its text ends in " BC" before year 1, which no ISO name parses
            case "month" -> "CAST(date_trunc('month', " + partitionColumn.name() + ") AS DATE)";
            default -> null;
        };
        if (label == null) {
            return false;
        }
        reader.planned(readAt, position, List.of());
        Map<String, BackupPlan> plans = new TreeMap<>();
        Map<String, BackupSource.RowOutput> outputs = new HashMap<>();
        String select = "SELECT " + columnList() + ", " + label + " FROM " + spec.table() + where();
        Savepoint before = c.setSavepoint();
        long rows;
        try {
            rows = copyOut.copyRouted(select, partitionLabel -> {
                BackupSource.RowOutput out = partitionLabel == null ? null : outputs.get(partitionLabel);
                if (out == null) {
                    if (partitionLabel == null || outputs.size() == ONE_PASS_FILES) {
                        throw new OnePassDeclined();
                    }
                    BackupPlan plan = onePassPlan(partitionLabel);
                    plans.put(partitionLabel, plan);
                    out = reader.partition(plan);
                    outputs.put(partitionLabel, out);
                }
                return out;
            }, control);
        } catch (OnePassDeclined e) {
            // back to before the COPY (read to its end and dropped), in the same snapshot
            c.rollback(before);
            reader.restart();
            control.setRowsDone(0);
            return false;
        }
        c.releaseSavepoint(before);
        if (plans.isEmpty() && spec.by().equals("none")) {
            // no row selected: the one partition "all", empty, as when the partitions are found first
            BackupPlan all = onePassPlan("");
            plans.put("", all);
            reader.partition(all);
        }
        control.addRowsDone(rows % Jdbc.FETCH_SIZE);
        control.setRowsTotal(rows);
        plans.values().forEach(reader::partitionDone);
        return true;
    }

    /** The partition a one-pass read's label names; rows unknown until read. */
    private BackupPlan onePassPlan(String partitionLabel) {
        try {
            return spec.by().equals("none") ? new BackupPlan("all", Json.MAPPER.createObjectNode(), -1)
                    : timePlan(LocalDate.parse(partitionLabel), spec.by().equals("day"), -1);
        } catch (DateTimeParseException e) {
            throw new OnePassDeclined(); // a BC or five-digit year: read the way that handles them
        }
    }

    /** The partition of the day (or month) starting at {@code d}. */
    private BackupPlan timePlan(LocalDate d, boolean day, long rows) {
        String to = (day ? d.plusDays(1) : d.plusMonths(1)) + "T00:00:00";
        return new BackupPlan(day ? d.toString() : YearMonth.from(d).toString(), Json.MAPPER.createObjectNode()
                .put("column", partitionColumn.name()).put("from", d + "T00:00:00").put("to", to), rows);
    }

    /** The partitions of the selection as found in one snapshot; an online copy then reads each in its own. */
    List<BackupPlan> plan(JobControl control) {
        return snapshot(c -> plan(c, control));
    }

    /**
     * One planned partition's rows, read in a snapshot of its own (written meanwhile, the count may differ
     * from the plan's); returns how many were read.
     */
    long read(BackupPlan plan, Consumer<ObjectNode> out, JobControl control) {
        return snapshot(c -> rows(c, plan, rs -> out.accept(object(rs)), control, false));
    }

    private <T> T snapshot(ConnectionCallback<T> work) {
        try {
            return jdbc.snapshot(status -> jdbc.template().execute(work));
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot read source table " + spec.table() + ": " + Jdbc.reason(e), e);
        }
    }

    private String readAt(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant().toString();
        }
    }

    /** Where the database's history stood at the snapshot, where it tells cheaply; null otherwise. */
    private JsonNode position(Connection c) {
        String query = switch (jdbc.dialect()) {
            // txid_current_snapshot() exists on every version: a failed statement would end the snapshot's transaction
            case POSTGRESQL -> "SELECT CAST(txid_current_snapshot() AS TEXT)";
            case MARIADB -> "SELECT @@gtid_current_pos";
            case H2 -> null;
        };
        if (query == null) {
            return Json.MAPPER.nullNode();
        }
        try (PreparedStatement ps = c.prepareStatement(query); ResultSet rs = ps.executeQuery()) {
            rs.next();
            String field = jdbc.dialect() == Dialect.POSTGRESQL ? "snapshot" : "gtidCurrentPos";
            return Json.MAPPER.createObjectNode().put(field, rs.getString(1));
        } catch (SQLException e) {
            return Json.MAPPER.nullNode(); // informative only (MariaDB without GTIDs): the backup goes on
        }
    }

    private String where() {
        return filter == null ? "" : " WHERE " + filter.sql();
    }

    private List<BackupPlan> plan(Connection c, JobControl control) throws SQLException {
        String table = spec.table();
        List<BackupPlan> plans = new ArrayList<>();
        switch (spec.by()) {
            case "none" -> plans.add(new BackupPlan("all", Json.MAPPER.createObjectNode(),
                    count(c, "SELECT COUNT(*) FROM " + table + where())));
            case "value" -> {
                String col = partitionColumn.name();
                Set<String> names = new HashSet<>();
                // NULL first on every database, so it is the partition named "null" even beside the text 'null'
                query(c, "SELECT " + col + ", COUNT(*) FROM " + table + where() + " GROUP BY " + col
                                + " ORDER BY CASE WHEN " + col + " IS NULL THEN 0 ELSE 1 END, " + col,
                        rs -> {
                            JsonNode value = partitionColumn.json(partitionColumn.read(rs, 1));
                            ObjectNode bounds = Json.MAPPER.createObjectNode().put("column", col);
                            bounds.set("value", value);
                            plans.add(new BackupPlan(BackupPlan.unique(value.isNull() ? "null" : value.asText(), names),
                                    bounds, rs.getLong(2)));
                        });
            }
            case "day", "month" -> {
                // one scan: rows by date (a cast is cheap where EXTRACT is not), folded into months here
                String col = partitionColumn.name();
                String date = "CAST(" + col + " AS DATE)";
                boolean day = spec.by().equals("day");
                long[] nulls = {0};
                TreeMap<LocalDate, Long> counts = new TreeMap<>();
                query(c, "SELECT " + date + ", COUNT(*) FROM " + table + where() + " GROUP BY " + date, rs -> {
                    LocalDate d = rs.getObject(1, LocalDate.class);
                    if (d == null) {
                        nulls[0] += rs.getLong(2);
                    } else {
                        counts.merge(day ? d : d.withDayOfMonth(1), rs.getLong(2), Long::sum);
                    }
                });
                if (nulls[0] > 0) {
                    throw ApiException.badParameter(nulls[0] + " selected row(s) have no " + col
                            + ": they belong to no " + spec.by() + "; filter them out (" + col + " IS NOT NULL)"
                            + " or partition by value");
                }
                counts.forEach((d, rows) -> plans.add(timePlan(d, day, rows)));
            }
            case "keys" -> {
                String ordered = SqlPartitionWhere.keyOrder(jdbc, table, key);
                long per = spec.rowsPerPartition();
                long[] n = {0};
                String[] first = {null};
                String[] last = {null};
                query(c, "SELECT " + ordered + " FROM " + table + where() + " ORDER BY " + ordered, rs -> {
                    String k = rs.getString(1);
                    if (n[0] == 0) {
                        first[0] = k;
                    }
                    last[0] = k;
                    if (++n[0] == per) {
                        plans.add(keys(plans.size() + 1, first[0], last[0], n[0]));
                        n[0] = 0;
                    }
                });
                if (n[0] > 0) {
                    plans.add(keys(plans.size() + 1, first[0], last[0], n[0]));
                }
            }
            default -> throw new IllegalStateException("unknown partitioning " + spec.by());
        }
        control.setRowsTotal(plans.stream().mapToLong(BackupPlan::rows).sum());
        return plans;
    }

    private BackupPlan keys(int number, String first, String last, long rows) {
        return new BackupPlan(String.format("keys-%06d", number), Json.MAPPER.createObjectNode().put("column", key.name())
                .put("first", first).put("last", last), rows);
    }

    /** The rows of a partition, without the selection's filter. */
    private SqlPartitionWhere partition(BackupPlan plan) {
        BackupManifest.Bounds bounds = Json.MAPPER.convertValue(plan.bounds(), BackupManifest.Bounds.class);
        return SqlPartitionWhere.of(spec.by(), bounds, key.name(), tableColumns, jdbc, spec.table());
    }

    /**
     * A partition's rows. Key order where it is the table's own (InnoDB's clustered key, H2's primary key);
     * PostgreSQL's heap has none, and a file's order matters to nothing (restore compares partitions as sets):
     * it reads in the table's order, without a sort or an index walk.
     */
    private String select(String where) {
        return "SELECT " + columnList() + " FROM " + spec.table() + where
                + (jdbc.dialect() == Dialect.POSTGRESQL ? "" : " ORDER BY " + key.name());
    }

    private String columnList() {
        return String.join(", ", selected.stream().map(SqlColumn::name).toList());
    }

    /**
     * A partition's rows through PostgreSQL's COPY, in this snapshot; false when its bounds cannot be
     * written into the query (then JDBC reads it).
     */
    private boolean copied(Connection c, PostgresCopyOut copyOut, BackupPlan plan, BackupSource.RowOutput out,
                           JobControl control) throws SQLException {
        String inlined = copyOut.inline(partition(plan));
        if (inlined == null) {
            return false;
        }
        String where = new SqlPartitionWhere(inlined, List.of()).and(filter == null ? null : filter.sql()).sql();
        long n = copyOut.copy(select(where), out, control);
        control.addRowsDone(n % Jdbc.FETCH_SIZE);
        requireCount(plan, n);
        return true;
    }

    private void requireCount(BackupPlan plan, long n) {
        if (n != plan.rows()) {
            // cannot happen in one snapshot; if a database breaks that promise, the backup must not pretend
            throw new IllegalStateException("partition " + plan.name() + " of " + spec.table() + " read " + n
                    + " rows where the snapshot counted " + plan.rows() + ": the backup was not completed");
        }
    }

    /** {@code exact}: the plan was made in this snapshot, so the count must be the plan's. */
    private long rows(Connection c, BackupPlan plan, RowAction each, JobControl control, boolean exact) throws SQLException {
        SqlPartitionWhere where = partition(plan).and(filter == null ? null : filter.sql());
        String sql = select(where.sql());
        long[] n = {0};
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(Jdbc.FETCH_SIZE);
            for (int i = 0; i < where.args().size(); i++) {
                ps.setObject(i + 1, where.args().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.row(rs);
                    if (++n[0] % Jdbc.FETCH_SIZE == 0) {
                        control.addRowsDone(Jdbc.FETCH_SIZE);
                        control.check();
                    }
                }
            }
        }
        control.addRowsDone(n[0] % Jdbc.FETCH_SIZE);
        if (exact) {
            requireCount(plan, n[0]);
        }
        return n[0];
    }

    /** The current row as an object (an online copy hands rows to a target). */
    private ObjectNode object(ResultSet rs) throws SQLException {
        ObjectNode row = Json.MAPPER.createObjectNode();
        for (int i = 0; i < selected.size(); i++) {
            SqlColumn col = selected.get(i);
            row.set(col.name(), col.json(col.read(rs, i + 1)));
        }
        return row;
    }

    /**
     * The current row straight into a backup file's generator, as {@link #object} would be written: an
     * object per row and its serialization were a third of a backup's time.
     */
    private void write(ResultSet rs, BackupSource.RowOutput out) {
        out.write(json -> {
            try {
                for (int i = 0; i < selected.size(); i++) {
                    SqlColumn col = selected.get(i);
                    json.writeFieldName(col.name());
                    col.writeJson(json, rs, i + 1);
                }
            } catch (SQLException e) {
                throw jdbc.template().getExceptionTranslator().translate("backup of " + spec.table(), null, e);
            }
        });
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @FunctionalInterface
    private interface RowAction {
        void row(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, RowAction action) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(Jdbc.FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    action.row(rs);
                }
            }
        }
    }

}
