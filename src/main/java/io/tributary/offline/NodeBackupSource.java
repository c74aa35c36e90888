package io.tributary.offline;

import io.tributary.job.JobControl;
import io.tributary.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Another node's collection as a backup's source, read over its plan and partition requests as an online copy
 * reads it ({@link OnlineCopy.Source}): first the plan (the selection's partitions, found in one snapshot
 * there), then each partition's documents, read in a snapshot of their own and streamed into the partition's
 * file, one partition after the other. Each line is the document as the other node keeps it, with its
 * {@code _key} and, when it has one, its {@code _version}.
 */
final class NodeBackupSource extends CollectionSource {

    /** The other node's partitions of the selection, read under the job's control. */
    private final Function<JobControl, OnlineCopy.Source> connect;
    private String identity;

    NodeBackupSource(BackupSpec spec, Function<JobControl, OnlineCopy.Source> connect) {
        super(spec);
        this.connect = connect;
    }

    @Override
    String identity() {
        return identity;
    }

    @Override
    public void read(Reader reader, JobControl control) {
        OnlineCopy.Source source = connect.apply(control);
        List<BackupPlan> plans = source.plan(control);
        // the collection as the other node names it, so that restoring the backup onto it there is refused;
        // a node that does not say is named by its URL, which no restore target's identity equals
        identity = source.identity() != null ? source.identity()
                : spec.url() + " collection " + spec.database() + "/" + spec.collection();
        control.setRowsTotal(plans.stream().mapToLong(BackupPlan::rows).sum());
        if (!reader.planned(Instant.now().toString(), Json.MAPPER.nullNode(), plans)) {
            return;
        }
        for (BackupPlan plan : plans) {
            control.check();
            RowOutput out = reader.partition(plan);
            source.read(plan, doc -> {
                out.write(doc);
                control.addRowsDone(1);
            }, control);
            reader.partitionDone(plan);
        }
    }
}
