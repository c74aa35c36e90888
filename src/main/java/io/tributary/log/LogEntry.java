package io.tributary.log;

import java.math.BigInteger;

/** A committed change at its position ({@code tick}) in a database's change log; {@code json} is null for a delete. */
public record LogEntry(long tick, String collection, String key, BigInteger version, String op, String json) {

    public static final String PUT = "put";
    public static final String DELETE = "delete";
}
