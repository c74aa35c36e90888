package io.tributary.central;

import io.tributary.log.LogEntry;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * Writes a page of a primary's log into this node's collection tables, inside the caller's transaction:
 * a put stores exactly the primary's document and {@code _version} (the primary is the truth, so no
 * {@link VersionRule}), a delete removes the key. Entries are written in tick order, in runs of one
 * collection with distinct keys: each run is one batched DELETE of its keys and one batched INSERT of its
 * puts (on PostgreSQL one set-based DELETE of its deletes and one set-based upsert of its puts), so a key
 * written twice in a page ends as its later entry says.
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
        if (d == Dialect.POSTGRESQL) {
            flushOnPostgres(run, quoted);
            return;
        }
        List<String> keys = run.stream().map(LogEntry::key).toList();
        Jdbc.inChunks(keys, chunk -> jdbc.named().update("DELETE FROM " + quoted + " WHERE " + d.quote("_key")
                + " IN (:keys)", Map.of("keys", chunk)));
        List<LogEntry> puts = run.stream().filter(e -> e.json() != null).toList();
        JdbcStoredCollection.store(jdbc, quoted, false, puts, LogEntry::key, LogEntry::version, LogEntry::json);
    }

    /**
     * PostgreSQL: a run as two set-based statements, the keys, versions and documents bound as arrays and
     * one text cut at a character JSON text cannot hold unescaped (as the import's merge sends them): the
     * deletes' keys removed at once, the puts upserted at once (the run's keys are distinct, so the two sets
     * are too). Row by row, a page cost one DELETE and one INSERT round per entry in the database.
     */
    private void flushOnPostgres(List<LogEntry> run, String quoted) {
        String[] gone = run.stream().filter(e -> e.json() == null).map(LogEntry::key).toArray(String[]::new);
        List<LogEntry> puts = run.stream().filter(e -> e.json() != null).toList();
        jdbc.template().execute((ConnectionCallback<Void>) c -> {
            if (gone.length > 0) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + quoted + " WHERE \"_key\" = ANY(?::text[])")) {
                    ps.setArray(1, c.createArrayOf("text", gone));
                    ps.executeUpdate();
                }
            }
            if (!puts.isEmpty()) {
                String[] keys = new String[puts.size()];
                BigDecimal[] versions = new BigDecimal[puts.size()];
                StringBuilder documents = new StringBuilder(puts.size() * 256);
                for (int i = 0; i < puts.size(); i++) {
                    LogEntry e = puts.get(i);
                    keys[i] = e.key();
                    versions[i] = DocumentJson.column(e.version());
                    if (i > 0) {
                        documents.append(JdbcCollectionStore.DOCUMENT_SEPARATOR);
                    }
                    documents.append(e.json());
                }
                // the primary's document and version as they are: no version rule (the primary is the truth)
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + quoted + " (\"_key\", \"_version\", doc)"
                        + " SELECT s.k, s.v, s.d::jsonb FROM unnest(?::text[], ?::numeric[], string_to_array(?, chr(30)))"
                        + " AS s(k, v, d) ORDER BY s.k COLLATE \"C\""
                        + " ON CONFLICT (\"_key\") DO UPDATE SET \"_version\" = EXCLUDED.\"_version\", doc = EXCLUDED.doc")) {
                    ps.setArray(1, c.createArrayOf("text", keys));
                    ps.setArray(2, c.createArrayOf("numeric", versions));
                    ps.setString(3, documents.toString());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }
}
