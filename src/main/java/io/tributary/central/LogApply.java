package io.tributary.central;

import io.tributary.log.LogEntry;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a page of a primary's log into this node's collection tables, inside the caller's transaction:
 * a put stores exactly the primary's document and {@code _version} (the primary is the truth, so no
 * {@link VersionRule}), a delete removes the key. Entries are written in tick order, in runs of one
 * collection with distinct keys: each run is one batched DELETE of its keys and one batched INSERT of its
 * puts, so a key written twice in a page ends as its later entry says.
 */
final class LogApply {

    private final Jdbc jdbc;
    private final Dialect d;

    LogApply(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.d = jdbc.dialect();
    }

    /** The entries in tick order, each key only at its last entry: what a page's transaction leaves. */
    static List<LogEntry> lastPerKey(List<LogEntry> entries) {
        Map<List<String>, LogEntry> last = new LinkedHashMap<>();
        for (LogEntry e : entries) {
            List<String> id = List.of(e.collection(), e.key());
            last.remove(id); // re-inserted at its later position
            last.put(id, e);
        }
        return new ArrayList<>(last.values());
    }

    /** @param tables each entry's collection to its table name, unquoted (created by the caller before the transaction) */
    void write(List<LogEntry> entries, Map<String, String> tables) {
        List<LogEntry> run = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (LogEntry e : entries) {
            if (!run.isEmpty() && (!run.get(0).collection().equals(e.collection()) || keys.contains(e.key()))) {
                flush(run, tables.get(run.get(0).collection()));
                run.clear();
                keys.clear();
            }
            run.add(e);
            keys.add(e.key());
        }
        if (!run.isEmpty()) {
            flush(run, tables.get(run.get(0).collection()));
        }
    }

    private void flush(List<LogEntry> run, String table) {
        String quoted = d.quote(table);
        List<String> keys = run.stream().map(LogEntry::key).toList();
        Jdbc.inChunks(keys, chunk -> jdbc.named().update("DELETE FROM " + quoted + " WHERE " + d.quote("_key")
                + " IN (:keys)", Map.of("keys", chunk)));
        List<LogEntry> puts = run.stream().filter(e -> e.json() != null).toList();
        JdbcStoredCollection.store(jdbc, quoted, false, puts, LogEntry::key, LogEntry::version, LogEntry::json);
    }
}
