package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.job.JobControl;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.sql.SqlIdentifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.transaction.TransactionException;

/**
 * A SQL table as a restore's target. The table must exist; the backup's columns must all be in it (their
 * types are the table's). A partition's rows are those in its bounds, found by a WHERE on the bounds'
 * column; replacing a partition deletes them and inserts the backup's rows in one transaction.
 */
final class SqlRestoreTarget implements RestoreTarget {

    /** Rows per JDBC batch, and so the most rows held in memory while a file streams into the table. */
    private static final int BATCH_SIZE = 1000;
    /**
     * Rows per INSERT statement: one statement of 100 rows costs the server far less than 100 statements of
     * one (parse, plan and executor start per statement); bounded so a wide table stays under the drivers'
     * limit on parameters per statement.
     */
    private static final int ROWS_PER_INSERT = 100;
    private static final int MAX_PARAMETERS = 30_000;

    private final Jdbc jdbc;
    private final String table;
    private final String identity;
    /** Every column of the target table by lower-cased name; filled by {@link #prepare}. */
    private final Map<String, SqlColumn> tableColumns = new LinkedHashMap<>();
    private List<SqlColumn> columns;
    /** The backup's row filter, checked against this table's columns; null when it has none. */
    private RowFilter filter;
    private BackupManifest manifest;

    SqlRestoreTarget(DataSource dataSource, String table) {
        this.jdbc = new Jdbc(dataSource);
        this.table = SqlIdentifier.requireQualified("target.table", table);
        this.identity = SourceIdentity.ofTable(dataSource, table);
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public void prepare(BackupManifest manifest) {
        this.manifest = manifest;
        if (manifest.columns() == null || manifest.columns().isEmpty()) {
            throw new IllegalArgumentException("backup '" + manifest.name() + "' lists no columns (a collection backup?):"
                    + " it restores into a collection, not into table " + table);
        }
        try {
            tableColumns.putAll(SqlTableColumns.of(jdbc, table, "target table"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (create it first)", e);
        }
        List<String> missing = new ArrayList<>();
        columns = new ArrayList<>();
        for (BackupManifest.Column c : manifest.columns()) {
            SqlIdentifier.require("backup column", c.name());
            SqlColumn column = tableColumns.get(c.name().toLowerCase(Locale.ROOT));
            if (column == null) {
                missing.add(c.name());
            }
            columns.add(column);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("target table " + table + " lacks column(s) " + String.join(", ", missing)
                    + " of backup '" + manifest.name() + "'");
        }
        if (manifest.keyColumn() == null || !tableColumns.containsKey(manifest.keyColumn().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("target table " + table + " lacks the key column '"
                    + manifest.keyColumn() + "' of backup '" + manifest.name() + "'");
        }
        // a filtered backup holds only the rows of a partition that matched: only those are the partition's here
        String where = manifest.filter() == null ? null : manifest.filter().path("where").asText(null);
        if (where != null) {
            try {
                filter = RowFilter.parse(where, tableColumns.values().stream().map(SqlColumn::name)
                        .collect(java.util.stream.Collectors.toSet()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the filter of backup '" + manifest.name() + "' (" + where
                        + ") does not apply to target table " + table + ": " + e.getMessage(), e);
            }
        }
    }

    /** Columns of the table the backup lacks: a forced restore would reset them in rows it replaces. */
    @Override
    public List<String> columnsNotInBackup() {
        List<String> others = new ArrayList<>();
        tableColumns.values().stream().filter(c -> !columns.contains(c)).forEach(c -> others.add(c.name()));
        return others;
    }

    @Override
    public String rowHash(ObjectNode row) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).parameter(row.get(manifestName(i)));
        }
        return hash(values);
    }

    private String manifestName(int i) {
        return manifest.columns().get(i).name();
    }

    private String hash(Object[] values) {
        MessageDigest digest = PartitionFile.sha256();
        for (int i = 0; i < values.length; i++) {
            digest.update(columns.get(i).name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(SqlColumn.canonical(values[i]).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 1);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public List<PartitionDigest> stored(List<BackupManifest.Partition> partitions) {
        List<PartitionDigest> digests = new ArrayList<>();
        String select = "SELECT " + String.join(", ", columns.stream().map(SqlColumn::name).toList()) + " FROM " + table;
        for (BackupManifest.Partition p : partitions) {
            SqlPartitionWhere where = where(p);
            PartitionDigest digest = new PartitionDigest();
            failing("read", () -> jdbc.read(s -> {
                jdbc.template().query(select + where.sql(), rs -> {
                    Object[] values = new Object[columns.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = columns.get(i).read(rs, i + 1);
                    }
                    digest.add(hash(values));
                }, where.args().toArray());
                return null;
            }));
            digests.add(digest);
        }
        return digests;
    }

    @Override
    public long present(BackupManifest.Partition partition, List<ObjectNode> rows) {
        SqlPartitionWhere where = where(partition);
        SqlColumn key = tableColumns.get(manifest.keyColumn().toLowerCase(Locale.ROOT));
        List<Object> args = new ArrayList<>(where.args());
        rows.forEach(row -> args.add(key.parameter(row.get(manifest.keyColumn()))));
        String sql = "SELECT COUNT(*) FROM " + table + (where.sql().isEmpty() ? " WHERE " : where.sql() + " AND ")
                + key.name() + " IN (" + String.join(", ", rows.stream().map(r -> "?").toList()) + ")";
        return failing("read", () -> jdbc.template().queryForObject(sql, Long.class, args.toArray()));
    }

    @Override
    public Replaced replace(PartitionRows file, BackupManifest.Partition partition, long present, JobControl control) {
        SqlPartitionWhere where = where(partition);
        RowBounds bounds = RowBounds.of(partition, manifest, columns, jdbc.dialect(), file);
        Insert insert = new Insert(Math.max(1, Math.min(ROWS_PER_INSERT, MAX_PARAMETERS / columns.size())));
        return failing("write", () -> jdbc.transaction("the restore of partition " + partition.name() + " into " + table,
                s -> {
                    long deleted = jdbc.template().update("DELETE FROM " + table + where.sql(), where.args().toArray());
                    if (jdbc.dialect() == Dialect.POSTGRESQL) {
                        long copied = copy(file, bounds, control);
                        requireInBounds(bounds, partition, where, copied);
                        return new Replaced(copied, deleted - present, 0, 0);
                    }
                    List<Object[]> batch = new ArrayList<>(BATCH_SIZE);
                    long[] written = {0};
                    file.read(row -> {
                        if (bounds != null && bounds.exact()) {
                            bounds.check(row.get(manifestName(bounds.index())));
                        }
                        Object[] values = new Object[columns.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = columns.get(i).parameter(row.get(manifestName(i)));
                        }
                        batch.add(values);
                        if (batch.size() == BATCH_SIZE) {
                            written[0] += insert.flush(batch);
                            control.check();
                        }
                    });
                    written[0] += insert.flush(batch);
                    requireInBounds(bounds, partition, where, written[0]);
                    // every row of the partition went; those the backup has came back
                    return new Replaced(written[0], deleted - present, 0, 0);
                }));
    }

    /**
     * The partition's rows through PostgreSQL's COPY, on the transaction's connection; how many. Each row's
     * tokens become its CSV fields directly (a row's fields may come in any order; others are ignored).
     */
    /**
     * Where Java cannot judge the bounds as the database does (text by a collation), the database counts the
     * partition's rows once written: all of them must be in it, or the transaction rolls back.
     */
    private void requireInBounds(RowBounds bounds, BackupManifest.Partition partition, SqlPartitionWhere where, long written) {
        if (bounds == null || bounds.exact()) {
            return;
        }
        long in = jdbc.template().queryForObject("SELECT COUNT(*) FROM " + table + where.sql(), Long.class, where.args().toArray());
        if (in != written) {
            throw new IllegalArgumentException(bounds.file() + ": " + (written - in) + " of its " + written
                    + " row(s) lie outside partition '" + partition.name() + "' (" + bounds.describe()
                    + (filter == null ? "" : ", filter " + filter.text()) + "); nothing of the partition was written");
        }
    }

    private long copy(PartitionRows file, RowBounds bounds, JobControl control) {
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(manifestName(i), i);
        }
        return jdbc.template().execute((ConnectionCallback<Long>) c -> {
            try (PostgresCopy copy = new PostgresCopy(c, table, columns)) {
                long[] n = {0};
                String[] fields = new String[columns.size()];
                boolean checked = bounds != null && bounds.exact();
                file.readTokens(p -> {
                    Arrays.fill(fields, null);
                    boolean seen = false;
                    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                        Integer i = index.get(name);
                        p.nextToken();
                        if (i == null) {
                            p.skipChildren();
                        } else if (checked && i == bounds.index()) {
                            seen = true;
                            if (p.currentToken().isScalarValue()) {
                                bounds.check(p);
                                fields[i] = PostgresCopy.field(columns.get(i), p);
                            } else {
                                JsonNode value = p.readValueAsTree();
                                bounds.check(value);
                                fields[i] = PostgresCopy.field(columns.get(i), value);
                            }
                        } else {
                            fields[i] = PostgresCopy.field(columns.get(i), p);
                        }
                    }
                    if (checked && !seen) {
                        bounds.check((JsonNode) null);
                    }
                    try {
                        copy.row(fields);
                    } catch (SQLException e) {
                        throw new IllegalStateException("COPY into " + table + " failed: " + e.getMessage(), e);
                    }
                    if (++n[0] % BATCH_SIZE == 0) {
                        control.check();
                    }
                });
                return copy.finish();
            }
        });
    }

    /** The INSERT of a batch of rows: as many statements of {@code rowsPerStatement} rows as fit, the rest one by one. */
    private final class Insert {

        private final int rowsPerStatement;
        private final String one;
        private final String many;
        private final int[] oneTypes;
        private final int[] manyTypes;

        Insert(int rowsPerStatement) {
            this.rowsPerStatement = rowsPerStatement;
            String head = "INSERT INTO " + table + " (" + String.join(", ", columns.stream().map(SqlColumn::name).toList()) + ") VALUES ";
            String row = "(" + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            this.one = head + row;
            this.many = head + String.join(", ", java.util.Collections.nCopies(rowsPerStatement, row));
            this.oneTypes = columns.stream().mapToInt(SqlColumn::bindType).toArray();
            this.manyTypes = new int[oneTypes.length * rowsPerStatement];
            for (int i = 0; i < manyTypes.length; i++) {
                manyTypes[i] = oneTypes[i % oneTypes.length];
            }
        }

        /** Inserts the rows and clears the list; the rows written. */
        long flush(List<Object[]> batch) {
            int full = rowsPerStatement > 1 ? batch.size() / rowsPerStatement : 0;
            List<Object[]> statements = new ArrayList<>(full);
            for (int s = 0; s < full; s++) {
                Object[] values = new Object[manyTypes.length];
                for (int r = 0; r < rowsPerStatement; r++) {
                    Object[] row = batch.get(s * rowsPerStatement + r);
                    System.arraycopy(row, 0, values, r * row.length, row.length);
                }
                statements.add(values);
            }
            long written = count(statements.isEmpty() ? new int[0] : jdbc.template().batchUpdate(many, statements, manyTypes),
                    rowsPerStatement);
            List<Object[]> rest = batch.subList(full * rowsPerStatement, batch.size());
            written += count(rest.isEmpty() ? new int[0] : jdbc.template().batchUpdate(one, rest, oneTypes), 1);
            batch.clear();
            return written;
        }

        // a driver may answer SUCCESS_NO_INFO (-2) per statement of a batch: its rows were written
        private static long count(int[] counts, int rowsPerStatement) {
            return Arrays.stream(counts).mapToLong(n -> n < 0 ? rowsPerStatement : n).sum();
        }
    }

    /** The target rows of a partition, by its bounds (docs/offline.md). */
    private SqlPartitionWhere where(BackupManifest.Partition p) {
        return SqlPartitionWhere.of(manifest.partitioning().by(), p.bounds(), manifest.keyColumn(), tableColumns, jdbc, table)
                .and(filter == null ? null : filter.sql());
    }

    private <T> T failing(String what, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Cannot " + what + " target table " + table + ": " + Jdbc.reason(e), e);
        }
    }
}
