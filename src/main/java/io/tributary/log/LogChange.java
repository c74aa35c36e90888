package io.tributary.log;

import java.math.BigInteger;

/**
 * One row a central write transaction changed, before it has a tick: the stored document (JSON text) and
 * {@code _version} of a written row, or a removed key ({@code json} null).
 */
public record LogChange(String collection, String key, BigInteger version, String json) {

    public static LogChange put(String collection, String key, BigInteger version, String json) {
        return new LogChange(collection, key, version, json);
    }

    public static LogChange delete(String collection, String key) {
        return new LogChange(collection, key, null, null);
    }

    public boolean isDelete() {
        return json == null;
    }

    public String op() {
        return isDelete() ? LogEntry.DELETE : LogEntry.PUT;
    }
}
