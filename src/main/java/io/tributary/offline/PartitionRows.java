package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rows of one partition as a restore's target writes them: a backup's file ({@link PartitionFile}), or
 * a source read directly by an online copy ({@link OnlineCopy}). Rows stream: none is held after its handler.
 */
@FunctionalInterface
interface PartitionRows {

    /** Handles one row. */
    @FunctionalInterface
    interface RowHandler {
        void row(ObjectNode row);
    }

    /** Streams every row to {@code handler}; a failure while reading throws, and the caller's write rolls back. */
    void read(RowHandler handler);
}
