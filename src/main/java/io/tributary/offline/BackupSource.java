package io.tributary.offline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.job.JobControl;
import java.io.IOException;
import java.util.List;

/** What a backup reads: a SQL table or a collection. Everything it reads comes from one snapshot. */
interface BackupSource {

    /** The manifest's {@code source}, its {@code identity} included. */
    ObjectNode describe();

    /** The manifest's {@code columns}: {name, type} of a table, attribute names of a collection, or null. */
    JsonNode columns();

    /** The manifest's {@code filter}: the selection as applied; a JSON null when there is none. */
    JsonNode filter();

    /** The manifest's {@code keyColumn}. */
    String keyColumn();

    /**
     * Whether each partition's rows all come before the next partition's (a table's); otherwise many
     * partition files are open at once, and each must stay small in memory.
     */
    default boolean onePartitionAtATime() {
        return true;
    }

    /** Reads in one snapshot: first the plan, then each planned partition's rows, in the plan's order. */
    void read(Reader reader, JobControl control);

    /** Receives what {@link #read} finds. */
    interface Reader {
        /**
         * The snapshot's clock and position; the partitions it holds (none yet, when they are found as the rows
         * come). Returns false to read no rows (a dry run).
         */
        boolean planned(String readAt, JsonNode position, List<BackupPlan> partitions);

        /** False for a dry run: only the partitions and their rows are wanted. */
        boolean writes();

        /** Forgets the partitions written so far: the source reads them again another way. */
        void restart();

        /** The rows of one planned partition are about to come; they go to the returned output. */
        RowOutput partition(BackupPlan plan);

        /** The partition's rows have all come. */
        void partitionDone(BackupPlan plan);
    }

    /**
     * Where one partition's rows go: whole objects, or (the faster way, for a source that reads typed
     * columns) each row's fields written straight to the file's generator, with no object per row.
     */
    interface RowOutput {
        void write(ObjectNode row);

        /** Writes one row: {@code fields} writes the row's fields (names and values) between its braces. */
        void write(RowFields fields);

        /** Writes {@code rows} whole JSON lines, encoded as the other two write them, each ending in {@code \n}. */
        void writeLines(byte[] lines, int offset, int length, int rows);
    }

    /** The fields of one row, written to a generator inside the row's object. */
    @FunctionalInterface
    interface RowFields {
        void write(JsonGenerator json) throws IOException;
    }
}
