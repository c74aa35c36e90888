package io.tributary.log;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A committed change at its position ({@code tick}) in a database's change log; {@code json} is null for a delete.
 * {@code time} is when the primary wrote it (its {@code written_at}, taken just before its commit), null where unknown.
 */
public record LogEntry(long tick, String collection, String key, BigInteger version, String op, String json, Instant time) {

    public static final String PUT = "put";
    public static final String DELETE = "delete";
}
