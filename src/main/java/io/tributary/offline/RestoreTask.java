package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.job.JobControl;
import io.tributary.job.JobWork;
import java.nio.file.Path;

/** A restore as a job of the node's job runner. */
final class RestoreTask implements JobWork {

    private final Restore restore;
    private final RestoreSpec spec;

    RestoreTask(Path backupRoot, RestoreSpec spec, RestoreTarget target) {
        this.restore = new Restore(backupRoot, spec, target);
        this.spec = spec;
    }

    @Override
    public String kind() {
        return "restore";
    }

    /** As a sync names the collection it writes, so a sync and a restore into one collection do not overlap. */
    @Override
    public String writes() {
        return spec.isTable() ? "table " + spec.dataSource() + "/" + spec.table()
                : "collection " + spec.database() + "/" + spec.collection();
    }

    @Override
    public ObjectNode describe() {
        return spec.toJson();
    }

    @Override
    public long maxWaitSeconds() {
        return 0;
    }

    @Override
    public ObjectNode run(JobControl control) {
        return restore.run(control).toJson();
    }

    /** A restore writes partition by partition; what it finished is in the target, not in a partial report. */
    @Override
    public ObjectNode partialResult() {
        return null;
    }
}
