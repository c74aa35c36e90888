package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.job.JobControl;
import io.tributary.job.JobWork;
import java.util.function.Function;

/**
 * A backup or a restore as a job of the node's job runner. Neither has a time limit nor a partial result:
 * a backup that did not complete leaves no files, and what a restore finished is in its target.
 *
 * @param writes      what the job writes, as a sync names its collection ({@code collection _system/orders}),
 *                    so two jobs writing one thing do not overlap
 * @param description the job's spec as shown: never a password
 */
record OfflineTask(String kind, String writes, ObjectNode description, Function<JobControl, ObjectNode> work)
        implements JobWork {

    @Override
    public ObjectNode describe() {
        return description.deepCopy();
    }

    @Override
    public long maxWaitSeconds() {
        return 0;
    }

    @Override
    public ObjectNode run(JobControl control) {
        return work.apply(control);
    }

    @Override
    public ObjectNode partialResult() {
        return null;
    }
}
