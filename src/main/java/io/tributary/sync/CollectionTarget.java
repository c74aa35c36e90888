package io.tributary.sync;

import io.tributary.central.DocumentJson;
import io.tributary.central.DocumentStore;
import io.tributary.sql.Dialect;
import io.tributary.sql.TransactionRetry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes into a central collection's table. Incremental writes commit per batch; a full copy fills a
 * staging table and replaces the collection's content in one transaction, so readers see the old
 * content until that commit and the new content after it, never a mix.
 *
 * <p>Every write keeps a newer version: a row whose {@code _version} is higher than the incoming one was
 * written by the change pipeline after the source was read, and stays.
 */
public final class CollectionTarget {

    private static final int MAX_ATTEMPTS = 5;
    private static final int BATCH = 500;

    private final DocumentStore.CollectionTable collection;
    private final Dialect d;
    private final String table;
    private final String key;
    private final String version;
    private final String doc;

    public CollectionTarget(DocumentStore.CollectionTable collection) {
        this.collection = collection;
        this.d = collection.dialect();
        this.table = d.quote(collection.table());
        this.key = d.quote("_key");
        this.version = d.quote("_version");
        this.doc = d.quote("doc");
    }

    /** This collection's side of the comparison. */
    public JdbcKeyRanges ranges() {
        return new JdbcKeyRanges(collection.dataSource(), CollectionRows.of(collection));
    }

    public String tableName() {
        return collection.table();
    }

    public record Written(int written, int keptNewer) {
    }

    /** Documents in the collection now. */
    public long count() {
        return inConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** What {@link #upsert} would write and keep, for a dry run: the same decision, nothing written or locked. */
    public Written wouldUpsert(List<SyncDocument> docs) {
        if (docs.isEmpty()) {
            return new Written(0, 0);
        }
        return inConnection(c -> {
            Map<String, BigInteger> stored = versions(c, docs, "");
            int kept = 0;
            for (SyncDocument row : docs) {
                if (keepsNewer(stored, row)) {
                    kept++;
                }
            }
            return new Written(docs.size() - kept, kept);
        });
    }

    private static boolean keepsNewer(Map<String, BigInteger> stored, SyncDocument row) {
        BigInteger current = stored.get(row.key());
        return current != null && row.version() != null && current.compareTo(row.version()) > 0;
    }

    /** Inserts or replaces these rows in one transaction, except where the stored version is newer. */
    public Written upsert(List<SyncDocument> docs) {
        if (docs.isEmpty()) {
            return new Written(0, 0);
        }
        return inTransaction(c -> {
            Map<String, BigInteger> stored = versions(c, docs, " FOR UPDATE");
            int written = 0;
            int kept = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + key + ", " + version + ", "
                    + doc + ") VALUES (?, ?, " + d.jsonParameter() + ")");
                 PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + version + " = ?, " + doc
                         + " = " + d.jsonParameter() + " WHERE " + key + " = ?")) {
                for (SyncDocument row : docs) {
                    if (!stored.containsKey(row.key())) {
                        insert.setString(1, row.key());
                        insert.setBigDecimal(2, DocumentJson.column(row.version()));
                        insert.setString(3, row.json());
                        insert.addBatch();
                        written++;
                        continue;
                    }
                    if (keepsNewer(stored, row)) {
                        kept++;
                        continue;
                    }
                    update.setBigDecimal(1, DocumentJson.column(row.version()));
                    update.setString(2, row.json());
                    update.setString(3, row.key());
                    update.addBatch();
                    written++;
                }
                insert.executeBatch();
                update.executeBatch();
            }
            return new Written(written, kept);
        });
    }

    /** The stored versions of these keys (null: stored without a version); {@code lock}: " FOR UPDATE" or "". */
    private Map<String, BigInteger> versions(Connection c, List<SyncDocument> docs, String lock) throws SQLException {
        Map<String, BigInteger> stored = new HashMap<>();
        for (int from = 0; from < docs.size(); from += JdbcKeyRanges.LOOKUP_CHUNK) {
            List<SyncDocument> chunk = docs.subList(from, Math.min(docs.size(), from + JdbcKeyRanges.LOOKUP_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + key + ", " + version + " FROM " + table + " WHERE "
                    + key + " IN (" + "?,".repeat(chunk.size() - 1) + "?)" + lock)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i).key());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        BigDecimal v = rs.getBigDecimal(2);
                        stored.put(rs.getString(1), v == null ? null : v.toBigInteger());
                    }
                }
            }
        }
        return stored;
    }

    /** Deletes these keys in one transaction; returns how many rows went. */
    public int delete(List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        return inTransaction(c -> {
            int deleted = 0;
            for (int from = 0; from < keys.size(); from += JdbcKeyRanges.LOOKUP_CHUNK) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + JdbcKeyRanges.LOOKUP_CHUNK));
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + key + " IN ("
                        + "?,".repeat(chunk.size() - 1) + "?)")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 1, chunk.get(i));
                    }
                    deleted += ps.executeUpdate();
                }
            }
            return deleted;
        });
    }

    // ---- full copy through a staging table -----------------------------------------------------

    /** The staging table of this collection: derived from the catalog's table name, so it is a valid identifier. */
    private String staging() {
        return d.quote(collection.table() + "_sync");
    }

    /** An empty staging table; a leftover of an interrupted sync is dropped first. */
    public void createStaging() {
        inConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + staging());
                s.execute(DocumentStore.createTableSql(d, collection.table() + "_sync"));
            }
            return null;
        });
    }

    public void dropStaging() {
        inConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + staging());
            }
            return null;
        });
    }

    public void stage(List<SyncDocument> docs) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + staging() + " (" + key + ", " + version + ", "
                    + doc + ") VALUES (?, ?, " + d.jsonParameter() + ")")) {
                int n = 0;
                for (SyncDocument row : docs) {
                    ps.setString(1, row.key());
                    ps.setBigDecimal(2, DocumentJson.column(row.version()));
                    ps.setString(3, row.json());
                    ps.addBatch();
                    if (++n % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Spools keys to delete into the staging table (an incremental sync deletes them at its end). */
    public void spool(List<String> keys) {
        stage(keys.stream().map(k -> new SyncDocument(k, null, "{}")).toList());
    }

    /** Up to {@code limit} spooled keys after {@code after} (null: from the first), in the database's key order. */
    public List<String> spooled(String after, int limit) {
        return inConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + key + " FROM " + staging()
                    + (after == null ? "" : " WHERE " + key + " > ?") + " ORDER BY " + key + " LIMIT " + limit)) {
                if (after != null) {
                    ps.setString(1, after);
                }
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
                return keys;
            }
        });
    }

    /** How many rows the swap removed, replaced and added, and how many newer target rows it kept. */
    public record Swapped(int deleted, int replaced, int inserted) {
    }

    /**
     * Makes the collection equal to the staging table in one transaction: rows missing from staging go,
     * the others are replaced unless the collection's version is newer. Statements that work unchanged
     * on H2, PostgreSQL and MariaDB (no MERGE, no UPDATE ... FROM).
     */
    public Swapped swap(DeleteLimit limit, boolean sourceEmpty) {
        String s = staging();
        return inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                long before;
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    before = rs.getLong(1);
                }
                int deleted = st.executeUpdate("DELETE FROM " + table + " WHERE NOT EXISTS (SELECT 1 FROM " + s
                        + " WHERE " + s + "." + key + " = " + table + "." + key + ")");
                if (limit.exceeded(deleted, before, sourceEmpty)) {
                    // thrown inside the transaction: rolled back, the collection stays as it was
                    throw limit.refusal(deleted, before, sourceEmpty, "nothing was changed");
                }
                int replaced = st.executeUpdate("DELETE FROM " + table + " WHERE EXISTS (SELECT 1 FROM " + s
                        + " WHERE " + s + "." + key + " = " + table + "." + key + " AND (" + table + "." + version
                        + " IS NULL OR " + s + "." + version + " IS NULL OR " + s + "." + version + " >= " + table + "."
                        + version + "))");
                int inserted = st.executeUpdate("INSERT INTO " + table + " (" + key + ", " + version + ", " + doc
                        + ") SELECT " + key + ", " + version + ", " + doc + " FROM " + s + " WHERE NOT EXISTS (SELECT 1 FROM "
                        + table + " WHERE " + table + "." + key + " = " + s + "." + key + ")");
                return new Swapped(deleted, replaced, inserted - replaced);
            }
        });
    }

    // ---- transactions ------------------------------------------------------------------------------

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inConnection(Work<T> work) {
        try (Connection c = collection.dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Writing collection table " + collection.table() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Runs again when it collided with a concurrent import (deadlock, serialization failure). */
    private <T> T inTransaction(Work<T> work) {
        try {
            return new TransactionRetry(MAX_ATTEMPTS, d::isTransient, 50).run("the write to " + collection.table(), () -> {
                try (Connection c = collection.dataSource().getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("Writing collection table " + collection.table() + " failed: "
                    + e.getMessage(), e);
        }
    }
}
