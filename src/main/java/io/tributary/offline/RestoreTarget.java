package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.job.JobControl;
import java.util.List;
import javax.sql.DataSource;

/** Where a restore writes: a SQL table, or a collection of the central store. */
public interface RestoreTarget {

    /** A SQL table that exists; its columns and types are read from the database. */
    static RestoreTarget table(DataSource dataSource, String table) {
        return new SqlRestoreTarget(dataSource, table);
    }

    /** A collection of {@code store}, created when missing; {@code storeDataSource} only names the store's database. */
    static RestoreTarget collection(CollectionStore store, DataSource storeDataSource, String database, String collection) {
        return new CollectionRestoreTarget(store, SourceIdentity.ofCollection(storeDataSource, database, collection),
                database, collection);
    }

    /** As {@link SourceIdentity} writes it, to refuse a restore onto the backup's own source. */
    String identity();

    /** Checks that the backup fits this target (columns, kind) before anything is read or written. */
    void prepare(BackupManifest manifest);

    /** Columns of the target the backup does not have (after {@link #prepare}); none for a collection. */
    default List<String> columnsNotInBackup() {
        return List.of();
    }

    /**
     * Whether the target can tell a partition's rows that the backup's filter selected from its other rows
     * in the partition's bounds; a forced restore that cannot would delete those others.
     */
    default boolean scopesFilter(BackupManifest manifest) {
        return true;
    }

    /** The hash of one row of a backup file, as {@link #stored} hashes the target's rows. */
    String rowHash(ObjectNode row);

    /** Count and content hash of the target's rows in each partition's bounds, in the order given. */
    List<PartitionDigest> stored(List<BackupManifest.Partition> partitions);

    /** How many of these backup rows of the partition the target holds already (by key, inside the partition). */
    long present(BackupManifest.Partition partition, List<ObjectNode> rows);

    /**
     * Replaces the partition's rows by these in one transaction (a backup's file is verified again while
     * read). {@code present} is what {@link #present} counted, for reporting the rows the backup lacks as deleted.
     */
    Replaced replace(PartitionRows rows, BackupManifest.Partition partition, long present, JobControl control);

    /**
     * {@code deleted}: rows of the partition the backup does not have, removed; {@code unchanged}: rows
     * already stored as they are (a collection target tells; a table's partition is rewritten whole: 0).
     */
    record Replaced(long written, long deleted, long keptNewer, long unchanged) {
    }
}
