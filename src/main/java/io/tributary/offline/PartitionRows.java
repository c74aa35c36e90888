package io.tributary.offline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

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

    /** Handles one row as JSON tokens. */
    @FunctionalInterface
    interface TokenHandler {
        /** {@code row} stands on the row's {@code START_OBJECT}; the handler reads it up to its {@code END_OBJECT}. */
        void row(JsonParser row) throws IOException;
    }

    /**
     * As {@link #read}, each row as tokens: a file streams them with no object per row (the parse into one
     * was a fifth of a restore's time); rows that are objects already are walked.
     */
    default void readTokens(TokenHandler handler) {
        read(row -> {
            try (JsonParser p = row.traverse(Json.MAPPER)) {
                p.nextToken();
                handler.row(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
