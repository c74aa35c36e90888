package io.tributary.job;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One piece of background work {@link Jobs} runs: a sync, a backup, a restore. Checked before it is
 * accepted; run once, in a thread of the job pool.
 */
public interface JobWork {

    /** {@code sync}, {@code backup}, {@code restore}: shown as the job's {@code kind}. */
    String kind();

    /**
     * What this job writes, e.g. {@code collection _system/orders}: two jobs writing the same thing would
     * undo each other, so a second one is refused (409) while the first runs.
     */
    String writes();

    /** The job's description as shown and stored: never a password. */
    ObjectNode describe();

    /** 0: no limit. */
    long maxWaitSeconds();

    /** How else to finish in time than waiting longer; ends the timeout's message. Empty: nothing to add. */
    default String timeoutHint() {
        return "";
    }

    /** Does the work; its result. Throws {@link JobStopped} when cancelled or out of time. */
    ObjectNode run(JobControl control);

    /** What was done before a failure or cancellation, shown as the job's result; null when nothing. */
    ObjectNode partialResult();
}
