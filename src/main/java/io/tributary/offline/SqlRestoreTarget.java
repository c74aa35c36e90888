package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.job.JobControl;
import io.tributary.sql.Jdbc;
import io.tributary.sql.SqlIdentifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * A SQL table as a restore's target. The table must exist; the backup's columns must all be in it (their
 * types are the table's). A partition's rows are those in its bounds, found by a WHERE on the bounds'
 * column; replacing a partition deletes them and inserts the backup's rows in one transaction.
 */
final class SqlRestoreTarget implements RestoreTarget {

    /** Rows per JDBC batch, and so the most rows held in memory while a file streams into the table. */
    private static final int BATCH_SIZE = 1000;

    private final Jdbc jdbc;
    private final String table;
    private final String identity;
    /** Every column of the target table by lower-cased name; filled by {@link #prepare}. */
    private final Map<String, SqlColumn> tableColumns = new LinkedHashMap<>();
    private List<SqlColumn> columns;
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
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns.stream().map(SqlColumn::name).toList())
                + ") VALUES (" + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        int[] types = columns.stream().mapToInt(SqlColumn::bindType).toArray();
        return failing("write", () -> jdbc.transaction("the restore of partition " + partition.name() + " into " + table,
                s -> {
                    long deleted = jdbc.template().update("DELETE FROM " + table + where.sql(), where.args().toArray());
                    List<Object[]> batch = new ArrayList<>(BATCH_SIZE);
                    long[] written = {0};
                    file.read(row -> {
                        Object[] values = new Object[columns.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = columns.get(i).parameter(row.get(manifestName(i)));
                        }
                        batch.add(values);
                        if (batch.size() == BATCH_SIZE) {
                            written[0] += flush(insert, batch, types);
                            control.check();
                        }
                    });
                    written[0] += flush(insert, batch, types);
                    // every row of the partition went; those the backup has came back
                    return new Replaced(written[0], deleted - present, 0, 0);
                }));
    }

    private long flush(String insert, List<Object[]> batch, int[] types) {
        if (batch.isEmpty()) {
            return 0;
        }
        int[] counts = jdbc.template().batchUpdate(insert, batch, types);
        batch.clear();
        // a driver may answer SUCCESS_NO_INFO (-2) per row of a batch: the row was written
        return Arrays.stream(counts).mapToLong(n -> n < 0 ? 1 : n).sum();
    }

    /** The target rows of a partition, by its bounds (docs/offline.md). */
    private SqlPartitionWhere where(BackupManifest.Partition p) {
        return SqlPartitionWhere.of(manifest.partitioning().by(), p.bounds(), manifest.keyColumn(), tableColumns, jdbc, table);
    }

    private <T> T failing(String what, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Cannot " + what + " target table " + table + ": " + Jdbc.reason(e), e);
        }
    }
}
