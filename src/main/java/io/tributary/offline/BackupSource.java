package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.job.JobControl;
import java.util.List;
import java.util.function.Consumer;

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

    /** Reads in one snapshot: first the plan, then each planned partition's rows, in the plan's order. */
    void read(Reader reader, JobControl control);

    /** Receives what {@link #read} finds. */
    interface Reader {
        /** The snapshot's clock and position; the partitions it holds. Returns false to read no rows (a dry run). */
        boolean planned(String readAt, JsonNode position, List<BackupPlan> partitions);

        /** The rows of one planned partition are about to come; they go to the returned consumer. */
        Consumer<ObjectNode> partition(BackupPlan plan);

        /** The partition's rows have all come. */
        void partitionDone(BackupPlan plan);
    }
}
