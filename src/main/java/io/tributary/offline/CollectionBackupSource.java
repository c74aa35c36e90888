package io.tributary.offline;

import io.tributary.central.StoredCollection;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.keyrange.JdbcKeyRanges;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A collection of this node as a backup's source, read in key order from one snapshot of the store
 * ({@link StoredCollection#inSnapshot}). Twice: once to find the partitions and count their documents,
 * once to write them, each document going to its partition's file; so all partition files are open at
 * once, and their number is limited ({@link CollectionPartitions#MAX_PARTITIONS}). Which documents are
 * selected and where each goes, {@link CollectionPartitions} decides. Each line is the stored document with its
 * {@code _key} and, when it has one, its {@code _version}.
 */
final class CollectionBackupSource extends CollectionSource {

    private final StoredCollection collection;
    private final String identity;
    private final CollectionPartitions partitions;

    CollectionBackupSource(StoredCollection collection, String identity, BackupSpec spec) {
        super(spec);
        this.collection = collection;
        this.identity = identity;
        this.partitions = new CollectionPartitions(collection, spec.selection());
    }

    /** Documents come in key order, each to its partition's file: all files are open at once. */
    @Override
    public boolean onePartitionAtATime() {
        return false;
    }

    @Override
    String identity() {
        return identity;
    }

    @Override
    public void read(Reader reader, JobControl control) {
        collection.inSnapshot(() -> {
            JdbcKeyRanges ranges = collection.ranges();
            Map<String, BackupPlan> byKey = partitions.plans(ranges, control);
            List<BackupPlan> plans = new ArrayList<>(byKey.values());
            control.setRowsTotal(plans.stream().mapToLong(BackupPlan::rows).sum());
            if (!reader.planned(Instant.now().toString(), Json.MAPPER.nullNode(), plans)) {
                return null;
            }
            Map<String, RowOutput> outputs = new LinkedHashMap<>();
            byKey.forEach((key, plan) -> outputs.put(key, reader.partition(plan)));
            partitions.scan(ranges, spec.keyFrom(), spec.keyTo(), control, (doc, position) -> {
                outputs.get(partitions.partition(doc, position)).write(partitions.selected(doc));
                control.addRowsDone(1);
            });
            plans.forEach(reader::partitionDone);
            return null;
        });
    }
}
