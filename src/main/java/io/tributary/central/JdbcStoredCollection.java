package io.tributary.central;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.log.LogChange;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;

/**
 * A collection's table ({@code _key}, {@code _version}, {@code doc}) written as rows, and its staging
 * table {@code <table>_sync}. Table names come from the catalog, never from a request.
 */
final class JdbcStoredCollection implements StoredCollection {

    /** Rows per JDBC batch of a write. */
    private static final int BATCH_SIZE = 1000;

    private final Jdbc jdbc;
    private final Dialect d;
    private final String name;
    private final String table;
    private final String staging;
    private final CollectionRows rows;
    private final String key;
    private final String version;
    private final String doc;
    private final CollectionLog log;

    /** A staging area's name: short, so that the staging table's name stays a valid identifier everywhere. */
    private static final java.util.regex.Pattern AREA = java.util.regex.Pattern.compile("[a-z0-9]{1,8}");

    private final String stagingName;

    JdbcStoredCollection(Jdbc jdbc, String name, CollectionRows rows, CollectionLog log) {
        this(jdbc, name, rows, name + "_sync", log);
    }

    private JdbcStoredCollection(Jdbc jdbc, String name, CollectionRows rows, String stagingName, CollectionLog log) {
        this.jdbc = jdbc;
        this.d = jdbc.dialect();
        this.name = name;
        this.table = d.quote(name);
        this.stagingName = stagingName;
        this.staging = d.quote(stagingName);
        this.rows = rows;
        this.key = d.quote("_key");
        this.version = d.quote("_version");
        this.doc = d.quote("doc");
        this.log = log;
    }

    @Override
    public long count() {
        return jdbc.template().queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    @Override
    public JdbcKeyRanges ranges() {
        return new JdbcKeyRanges(jdbc, rows);
    }

    @Override
    public <T> T inSnapshot(Supplier<T> work) {
        return jdbc.snapshot(status -> work.get());
    }

    @Override
    public Written upsert(List<VersionedDocument> docs) {
        return docs.isEmpty() ? Written.NONE : inTransaction(s -> write(docs, true, false));
    }

    @Override
    public Written mirror(List<VersionedDocument> docs) {
        return docs.isEmpty() ? Written.NONE : inTransaction(s -> write(docs, true, true));
    }

    @Override
    public void indexVersions() {
        // the table name is at most 44 characters (JdbcCollectionStore.tableName): the index name stays valid
        jdbc.create("CREATE INDEX IF NOT EXISTS " + d.quote(name + "_ver") + " ON " + table + " (" + version + ", " + key + ")");
    }

    @Override
    public List<VersionedDocument> versionRange(BigInteger after, BigInteger upTo, BigInteger afterVersion, String afterKey,
                                                int limit) {
        String sql = "SELECT " + key + ", " + version + ", " + doc + " FROM " + table + " WHERE " + version + " > ? AND "
                + version + " <= ?" + (afterKey == null ? "" : " AND (" + version + " > ? OR (" + version + " = ? AND "
                + key + " > ?))") + " ORDER BY " + version + ", " + key + " LIMIT " + Math.max(1, limit);
        Object[] args = afterKey == null ? new Object[] {new BigDecimal(after), new BigDecimal(upTo)}
                : new Object[] {new BigDecimal(after), new BigDecimal(upTo), new BigDecimal(afterVersion),
                        new BigDecimal(afterVersion), afterKey};
        try {
            return jdbc.read(s -> jdbc.template().query(sql, (rs, n) -> new VersionedDocument(rs.getString(1),
                    rs.getBigDecimal(2).toBigInteger(), rs.getString(3)), args));
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Cannot read collection " + name + " by version: " + Jdbc.reason(e), e);
        }
    }

    @Override
    public Written wouldUpsert(List<VersionedDocument> docs) {
        return docs.isEmpty() ? Written.NONE : jdbc.read(s -> write(docs, false, false));
    }

    /**
     * Decides every row by {@link VersionRule} against the stored one, and writes them unless a dry run. A
     * row that neither side versions and whose content is the same is not written again: unchanged.
     */
    /** @param exact write every row that differs, newer or not (a mirror of its source), instead of by VersionRule */
    private Written write(List<VersionedDocument> docs, boolean apply, boolean exact) {
        requireDistinctKeys(docs);
        Map<String, BigInteger> stored = versions(docs, apply);
        Map<String, String> tied = storedDocumentsOfTies(docs, stored);
        List<VersionedDocument> inserts = new ArrayList<>();
        List<VersionedDocument> updates = new ArrayList<>();
        Outcomes outcomes = new Outcomes();
        for (VersionedDocument row : docs) {
            if (!stored.containsKey(row.key())) {
                inserts.add(row);
                continue;
            }
            BigInteger current = stored.get(row.key());
            if (exact) {
                if (Objects.equals(current, row.version()) && sameContent(tied.get(row.key()), row.json())) {
                    outcomes.unchanged++;
                } else {
                    updates.add(row);
                }
                continue;
            }
            if (current == null && row.version() == null && sameContent(tied.get(row.key()), row.json())) {
                outcomes.unchanged++;
                continue;
            }
            VersionRule.Outcome outcome = VersionRule.decide(current, row.version(),
                    () -> sameContent(tied.get(row.key()), row.json()));
            if (outcome == VersionRule.Outcome.WRITE) {
                updates.add(row);
            } else {
                outcomes.add(outcome, row.key(), row.version().equals(current));
            }
        }
        if (apply) {
            store(table, false, inserts);
            store(table, true, updates);
            if (log.enabled()) {
                log.record(java.util.stream.Stream.concat(inserts.stream(), updates.stream())
                        .map(r -> log.put(r.key(), r.version(), r.json())).toList());
            }
        }
        return outcomes.written(inserts.size() + updates.size(), 0, docs.size() - inserts.size());
    }

    /** A source whose key column is not unique cannot be mirrored: said plainly, not retried as a collision. */
    private static void requireDistinctKeys(List<VersionedDocument> docs) {
        Set<String> seen = new HashSet<>();
        for (VersionedDocument row : docs) {
            if (!seen.add(row.key())) {
                throw new IllegalArgumentException("the source holds key '" + ApiException.printable(row.key())
                        + "' more than once: a sync needs a key column with unique values");
            }
        }
    }

    /** One transaction, retried on collisions; a database failure names this collection's table. */
    private <T> T inTransaction(TransactionCallback<T> work) {
        try {
            return jdbc.transaction("the write to " + name, work);
        } catch (DataAccessException | TransactionException e) {
            throw new IllegalStateException("Writing collection table " + name + " failed: " + Jdbc.reason(e), e);
        }
    }

    /** Counts of what {@link VersionRule} did not write, with the first conflicting keys. */
    private static final class Outcomes {
        long keptNewer;
        long unchanged;
        long conflicts;
        final List<String> conflictKeys = new ArrayList<>();

        void add(VersionRule.Outcome outcome, String key, boolean tie) {
            if (outcome == VersionRule.Outcome.CONFLICT) {
                conflicts++;
                if (conflictKeys.size() < Written.CONFLICT_KEYS) {
                    conflictKeys.add(key);
                }
            } else if (tie) {
                unchanged++;
            } else {
                keptNewer++;
            }
        }

        Written written(long written, long deleted, long matched) {
            return new Written(written, deleted, keptNewer, unchanged, conflicts, List.copyOf(conflictKeys), matched);
        }
    }

    /** The stored versions of these keys (null: stored without a version); locked until commit when {@code lock}. */
    private Map<String, BigInteger> versions(List<VersionedDocument> docs, boolean lock) {
        Map<String, BigInteger> stored = new HashMap<>();
        byKeys(docs.stream().map(VersionedDocument::key).toList(), version, lock, rs -> {
            BigDecimal v = rs.getBigDecimal(2);
            stored.put(rs.getString(1), v == null ? null : v.toBigInteger());
        });
        return stored;
    }

    /** The stored documents of the rows whose incoming version equals the stored one (or both have none). */
    private Map<String, String> storedDocumentsOfTies(List<VersionedDocument> docs, Map<String, BigInteger> stored) {
        Map<String, String> found = new HashMap<>();
        byKeys(docs.stream().filter(r -> stored.containsKey(r.key()) && Objects.equals(r.version(), stored.get(r.key())))
                .map(VersionedDocument::key).toList(), doc, false, rs -> found.put(rs.getString(1), rs.getString(2)));
        return found;
    }

    /** Hands the key and {@code column} of each stored row of these keys to {@code row}. */
    private void byKeys(List<String> keys, String column, boolean lock, RowCallbackHandler row) {
        Jdbc.inChunks(keys, chunk -> jdbc.named().query("SELECT " + key + ", " + column + " FROM " + table + " WHERE "
                + key + " IN (:keys)" + (lock ? " FOR UPDATE" : ""), Map.of("keys", chunk), row));
    }

    private static boolean sameContent(String stored, String incoming) {
        try {
            return DocumentJson.sameContent(Json.MAPPER.readTree(stored), Json.MAPPER.readTree(incoming));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void store(String into, boolean update, List<VersionedDocument> docs) {
        store(jdbc, into, update, docs, VersionedDocument::key, VersionedDocument::version, VersionedDocument::json);
    }

    /**
     * Inserts new rows ({@code update} false) or updates stored ones of a collection table (quoted) in JDBC
     * batches: a sync's rows and the import's decided documents are written here.
     */
    static <T> void store(Jdbc jdbc, String table, boolean update, Collection<T> rows, Function<T, String> key,
                          Function<T, BigInteger> version, Function<T, String> json) {
        if (rows.isEmpty()) {
            return;
        }
        Dialect d = jdbc.dialect();
        String sql = update ? "UPDATE " + table + " SET " + d.quote("_version") + " = ?, " + d.quote("doc") + " = "
                + d.jsonParameter() + " WHERE " + d.quote("_key") + " = ?"
                : "INSERT INTO " + table + " (" + d.quote("_key") + ", " + d.quote("_version") + ", " + d.quote("doc")
                + ") VALUES (?, ?, " + d.jsonParameter() + ")";
        jdbc.template().batchUpdate(sql, rows, BATCH_SIZE, (ps, row) -> {
            ps.setString(update ? 3 : 1, key.apply(row));
            ps.setBigDecimal(update ? 1 : 2, DocumentJson.column(version.apply(row)));
            ps.setString(update ? 2 : 3, json.apply(row));
        });
    }

    @Override
    public int delete(List<String> keys) {
        return keys.isEmpty() ? 0 : inTransaction(s -> {
            if (log.enabled()) {
                // the keys that exist, locked: the log names exactly the rows that go
                List<String> found = new ArrayList<>();
                byKeys(keys, key, true, rs -> found.add(rs.getString(1)));
                return deleteKeys(found);
            }
            int[] deleted = {0};
            Jdbc.inChunks(keys, chunk -> deleted[0] += jdbc.named().update("DELETE FROM " + table + " WHERE " + key
                    + " IN (:keys)", Map.of("keys", chunk)));
            return deleted[0];
        });
    }

    // ---- full copy through a staging table -----------------------------------------------------

    @Override
    public void createStaging() {
        dropStaging();
        jdbc.template().execute(JdbcCollectionStore.createTableSql(d, stagingName));
    }

    @Override
    public StoredCollection staging(String area) {
        if (area == null || !AREA.matcher(area).matches()) {
            throw new IllegalArgumentException("a staging area is named by 1 to 8 lower-case letters or digits, not '"
                    + area + "'");
        }
        // JdbcCollectionStore.ownsTable knows this name: a sync must not read a staging table as a source
        return new JdbcStoredCollection(jdbc, name, rows, name + "_sync_" + area, log);
    }

    @Override
    public void dropStaging() {
        jdbc.template().execute("DROP TABLE IF EXISTS " + staging);
    }

    @Override
    public void stage(List<VersionedDocument> docs) {
        requireDistinctKeys(docs);
        inTransaction(s -> {
            store(staging, false, docs);
            return null;
        });
    }

    @Override
    public void spool(List<String> keys) {
        stage(keys.stream().map(k -> new VersionedDocument(k, null, "{}")).toList());
    }

    @Override
    public List<String> spooled(String after, int limit) {
        String sql = "SELECT " + key + " FROM " + staging + (after == null ? "" : " WHERE " + key + " > ?") + " ORDER BY "
                + key + " LIMIT " + limit;
        return jdbc.template().queryForList(sql, String.class, after == null ? new Object[0] : new Object[] {after});
    }

    /**
     * Statements that work unchanged on H2, PostgreSQL and MariaDB (no MERGE, no UPDATE ... FROM). Rows the
     * version rule leaves to content (equal versions) stay as stored; their content is compared in Java.
     * Unversioned rows are replaced unless their text is the same as stored; those whose content was the
     * same already count as unchanged.
     */
    @Override
    public Written swap(DeleteCheck check) {
        return inTransaction(s -> {
            long before = count();
            String unstaged = " FROM " + table + " WHERE NOT EXISTS (SELECT 1 FROM " + staging + " WHERE " + staging + "."
                    + key + " = " + table + "." + key + ")";
            int deleted = log.enabled()
                    ? deleteKeys(jdbc.template().queryForList("SELECT " + key + unstaged + " FOR UPDATE", String.class))
                    : jdbc.template().update("DELETE" + unstaged);
            return writeStaged(deleted, before, check);
        });
    }

    /**
     * Like {@link #swap}, for one part of the collection: of the stored rows only those {@code inPartition}
     * accepts (judged on the stored document, in Java while the rows stream) go when the staging area lacks
     * them; rows outside it stay. Only the keys to delete are held in memory.
     */
    @Override
    public Written swapPartition(Predicate<JsonNode> inPartition, DeleteCheck check) {
        return inTransaction(s -> {
            long before = count();
            List<String> gone = new ArrayList<>();
            jdbc.template().query("SELECT " + key + ", " + doc + " FROM " + table + " WHERE NOT EXISTS (SELECT 1 FROM "
                    + staging + " WHERE " + staging + "." + key + " = " + table + "." + key + ")", rs -> {
                        if (inPartition.test(parse(rs.getString(2)))) {
                            gone.add(rs.getString(1));
                        }
                    });
            return writeStaged(deleteKeys(gone), before, check);
        });
    }

    /** Deletes these stored keys, and logs them; how many rows went. */
    private int deleteKeys(List<String> keys) {
        int[] deleted = {0};
        Jdbc.inChunks(keys, chunk -> deleted[0] += jdbc.named().update("DELETE FROM " + table + " WHERE " + key
                + " IN (:keys)", Map.of("keys", chunk)));
        log.deleted(keys);
        return deleted[0];
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Logs the staged rows the swap is about to write, before it writes them: those the version rule writes
     * without looking at content (a missing stored row has no version either), less the unversioned rows
     * whose content is the same as stored, which are not written or are rewritten unchanged.
     * {@code written}: the condition on a staged row and its stored one that the swap writes the row.
     */
    private void logStaged(String stagedKey, String storedKey, String stagedVersion, String written) {
        String select = "SELECT " + stagedKey + ", " + stagedVersion + ", " + staging + "." + doc + ", " + storedKey
                + ", " + table + "." + doc + ", " + table + "." + version + " FROM " + staging + " LEFT JOIN " + table
                + " ON " + storedKey + " = " + stagedKey + " WHERE (" + storedKey + " IS NULL OR (" + written + "))";
        // a page of staged rows at a time, each logged before the next is read: a swap of a whole collection
        // holds one page, and no statement runs while a result streams (MariaDB would buffer the rest of it)
        String after = null;
        while (true) {
            List<LogChange> changes = new ArrayList<>();
            List<String> read = new ArrayList<>();
            String page = select + (after == null ? "" : " AND " + stagedKey + " > ?") + " ORDER BY " + stagedKey
                    + " LIMIT " + Jdbc.FETCH_SIZE;
            RowCallbackHandler row = rs -> {
                read.add(rs.getString(1));
                BigDecimal v = rs.getBigDecimal(2);
                String json = rs.getString(3);
                boolean unversionedBoth = v == null && rs.getString(4) != null && rs.getBigDecimal(6) == null;
                if (!unversionedBoth || !sameContent(rs.getString(5), json)) {
                    changes.add(log.put(rs.getString(1), v == null ? null : v.toBigInteger(), json));
                }
            };
            if (after == null) {
                jdbc.template().query(page, row);
            } else {
                jdbc.template().query(page, row, after);
            }
            log.record(changes);
            if (read.size() < Jdbc.FETCH_SIZE) {
                return;
            }
            after = read.get(read.size() - 1);
        }
    }

    /** The second half of a swap, after the deletes: the staged rows written by {@link VersionRule}. */
    private Written writeStaged(int deleted, long before, DeleteCheck check) {
        JdbcTemplate t = jdbc.template();
        String stagedKey = staging + "." + key;
        String storedKey = table + "." + key;
        String stagedVersion = staging + "." + version;
        String storedVersion = table + "." + version;
        String joined = staging + " JOIN " + table + " ON " + storedKey + " = " + stagedKey;
        check.check(deleted, before); // throws inside the transaction: rolled back, nothing is changed
        Outcomes outcomes = new Outcomes();
        long[] rewrittenUnchanged = {0};
        String tie = "(" + stagedVersion + " = " + storedVersion + " OR (" + stagedVersion + " IS NULL AND "
                + storedVersion + " IS NULL))";
        String sameText = d.sameText(staging + "." + doc, table + "." + doc);
        // a tie of the same text is unchanged without reading it: H2 keeps every document a query of this
        // transaction returned until it commits, so a swap over a filled collection read it all into the heap
        outcomes.unchanged = t.queryForObject("SELECT COUNT(*) FROM " + joined + " WHERE " + tie + " AND " + sameText,
                Long.class);
        t.query("SELECT " + stagedKey + ", " + table + "." + doc + ", " + staging + "." + doc + ", " + stagedVersion
                + " FROM " + joined + " WHERE " + tie + " AND NOT (" + sameText + ")", rs -> {
                    boolean same = sameContent(rs.getString(2), rs.getString(3));
                    if (rs.getBigDecimal(4) == null) {
                        if (same) {
                            outcomes.unchanged++;
                            rewrittenUnchanged[0]++;
                        }
                    } else {
                        outcomes.add(same ? VersionRule.Outcome.IGNORE : VersionRule.Outcome.CONFLICT, rs.getString(1), true);
                    }
                });
        outcomes.keptNewer = t.queryForObject("SELECT COUNT(*) FROM " + joined + " WHERE " + stagedVersion + " < "
                + storedVersion, Long.class);
        String written = "(" + VersionRule.writesUnseen(stagedVersion, storedVersion) + ") AND NOT (" + stagedVersion
                + " IS NULL AND " + storedVersion + " IS NULL AND " + sameText + ")";
        if (log.enabled()) {
            logStaged(stagedKey, storedKey, stagedVersion, written);
        }
        // rows of the same text are not rewritten: the insert below skips them, as they are still stored
        int replaced = t.update("DELETE FROM " + table + " WHERE EXISTS (SELECT 1 FROM " + staging + " WHERE "
                + stagedKey + " = " + storedKey + " AND " + written + ")");
        int inserted = t.update("INSERT INTO " + table + " (" + key + ", " + version + ", " + doc + ") SELECT " + key
                + ", " + version + ", " + doc + " FROM " + staging + " WHERE NOT EXISTS (SELECT 1 FROM " + table
                + " WHERE " + storedKey + " = " + stagedKey + ")");
        return outcomes.written(inserted - rewrittenUnchanged[0], deleted, replaced - rewrittenUnchanged[0]
                + outcomes.keptNewer + outcomes.unchanged + outcomes.conflicts);
    }
}
