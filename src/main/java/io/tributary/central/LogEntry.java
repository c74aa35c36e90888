package io.tributary.central;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;

/**
 * One entry of a node's change log as a follower applies it: the write at {@code tick} of the primary.
 * A put carries the document and {@code _version} exactly as the primary stored them; a delete neither.
 */
public record LogEntry(long tick, String collection, String key, BigInteger version, Op op, ObjectNode doc) {

    public enum Op { PUT, DELETE }

    public LogEntry {
        CollectionName.requireCollection(collection, "a log entry's collection");
        if (!DocumentKey.isValid(key)) {
            throw new IllegalArgumentException("log entry " + tick + ": illegal document key");
        }
        if (op == Op.PUT && doc == null) {
            throw new IllegalArgumentException("log entry " + tick + ": a put without a document");
        }
    }
}
