package io.tributary.central;

import io.tributary.log.ChangeLog;
import io.tributary.log.LogChange;
import java.math.BigInteger;
import java.util.List;

/** The change log as one collection's writes record into it: the rows a transaction wrote or removed. */
record CollectionLog(ChangeLog log, String database, String collection) {

    /** Whether changes are logged at all: when not, writers need not find out which rows changed. */
    boolean enabled() {
        return log.enabled();
    }

    LogChange put(String key, BigInteger version, String json) {
        return LogChange.put(collection, key, version, json);
    }

    void record(List<LogChange> changes) {
        log.record(database, changes);
    }

    void deleted(List<String> keys) {
        if (enabled()) {
            log.record(database, keys.stream().map(k -> LogChange.delete(collection, k)).toList());
        }
    }
}
