package io.tributary.log;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The change log of the central store: one log per database, each committed change to a collection at a
 * position (tick). Writers {@link #record} the rows they changed inside their transaction; just before it
 * commits, as its last step, the transaction locks the database's counter row ({@code tributary_log_state}),
 * takes the next ticks and inserts its entries. The lock is held until that commit, so a database's ticks
 * are taken in commit order: whoever sees tick T in one read sees every tick below it, since those
 * transactions committed before T's took the lock. Ticks are contiguous (a rolled-back transaction gives its
 * ticks back with the counter), persisted, and shared by every process writing the same central database.
 */
public class ChangeLog {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLog.class);
    static final String TABLE = "tributary_log";
    static final String STATE = "tributary_log_state";
    static final String SERVER = "tributary_server";
    /** Rows deleted per statement by retention, so a large backlog never becomes one huge transaction. */
    private static final int PRUNE_BATCH = 10_000;
    /** How long a waiting reader sleeps at most before it looks again: writes by other processes wake nobody here. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private DataSource dataSource;
    private boolean enabled = true;
    private long retentionSeconds = 86_400;
    private long retentionEntries;

    private volatile Jdbc jdbc;
    private volatile String serverId;
    /** Bumped and notified after each commit of logged changes in this process. */
    private final Object commits = new Object();
    private long commitGeneration;

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code tributary.log.enabled}: off, writes take no ticks, and the log is not served. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** {@code tributary.log.retention-seconds}: entries older than this go (0: kept whatever their age). */
    public void setRetentionSeconds(long retentionSeconds) {
        this.retentionSeconds = Math.max(0, retentionSeconds);
    }

    /** {@code tributary.log.retention-entries}: at most this many newest entries per database stay (0: no limit). */
    public void setRetentionEntries(long retentionEntries) {
        this.retentionEntries = Math.max(0, retentionEntries);
    }

    /** The central database, its log tables created on first use. */
    private Jdbc jdbc() {
        Jdbc j = jdbc;
        if (j == null) {
            synchronized (this) {
                if (jdbc == null) {
                    jdbc = createTables(new Jdbc(dataSource));
                }
                j = jdbc;
            }
        }
        return j;
    }

    private Jdbc createTables(Jdbc j) {
        Dialect d = j.dialect();
        try {
            j.create("CREATE TABLE IF NOT EXISTS " + TABLE + " (db " + d.asciiKeyType(64) + " NOT NULL, tick BIGINT NOT NULL,"
                    + " collection_name " + d.asciiKeyType(256) + " NOT NULL, doc_key " + d.asciiKeyType(254) + " NOT NULL,"
                    + " version DECIMAL(38,0), op VARCHAR(6) NOT NULL, doc " + d.textType() + ", written_at "
                    + d.timestampType() + " NOT NULL, PRIMARY KEY (db, tick))" + d.tableOptions());
            j.create("CREATE TABLE IF NOT EXISTS " + STATE + " (db " + d.asciiKeyType(64) + " NOT NULL PRIMARY KEY,"
                    + " last_tick BIGINT NOT NULL, floor_tick BIGINT NOT NULL)" + d.tableOptions());
            j.create("CREATE TABLE IF NOT EXISTS " + SERVER + " (name " + d.asciiKeyType(32) + " NOT NULL PRIMARY KEY,"
                    + " val VARCHAR(64) NOT NULL)" + d.tableOptions());
            serverId = setting(j, "server-id", UUID.randomUUID().toString());
            markGap(j);
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot create the change log tables: " + Jdbc.reason(e), e);
        }
        return j;
    }

    /** A value of {@code tributary_server}, stored as {@code initial} by whoever asks first. */
    private static String setting(Jdbc j, String name, String initial) {
        try {
            j.template().update("INSERT INTO " + SERVER + " (name, val) VALUES (?, ?)", name, initial);
        } catch (DuplicateKeyException e) {
            // stored before, by this node's earlier run or another process on the same database
        }
        return j.template().queryForObject("SELECT val FROM " + SERVER + " WHERE name = ?", String.class, name);
    }

    /**
     * Writes made while the log was off have no ticks: a node that starts with the log off remembers it,
     * and the next start with it on skips one tick in every database's log and retains nothing below, so
     * a follower that read up to before the gap gets 410 and copies afresh instead of missing them.
     */
    private void markGap(Jdbc j) {
        if (!enabled) {
            setting(j, "log-gap", "true");
            return;
        }
        j.transaction("closing the change log's gap", s -> {
            if (j.template().update("DELETE FROM " + SERVER + " WHERE name = 'log-gap'") > 0) {
                // floor first: MariaDB assigns left to right, each assignment seeing the ones before it
                int databases = j.template().update("UPDATE " + STATE + " SET floor_tick = last_tick + 2, last_tick = last_tick + 1");
                LOG.warn("The change log was off while this central database was written: followers of its {} databases"
                        + " that read up to before now start over", databases);
            }
            return null;
        });
    }

    /** Creates the tables (the central store calls this at its start, so its tables and the log's exist together). */
    public void start() {
        jdbc();
    }

    /** This central database's server id: generated once, kept in {@code tributary_server}. */
    public String serverId() {
        jdbc();
        return serverId;
    }

    /** Whether {@code table} is one of the log's own tables. */
    public static boolean ownsTable(String table) {
        return table.equals(TABLE) || table.equals(STATE) || table.equals(SERVER);
    }

    // ---- writing -----------------------------------------------------------------------------

    /**
     * Adds the changes of the running transaction (of this DataSource) to its pending entries; they get their
     * ticks when it commits, and vanish with it when it rolls back. A later change of the same key in the same
     * transaction replaces the earlier one: only what the commit leaves is logged.
     */
    public void record(String database, List<LogChange> changes) {
        if (!enabled || changes.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a change is logged in the transaction that makes it");
        }
        jdbc();
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new Pending();
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        pending.add(database, changes);
    }

    /** Per thread: the last tick its latest committed transaction took ({@link #takeLastTick}). */
    private final ThreadLocal<long[]> lastCommittedTick = ThreadLocal.withInitial(() -> new long[1]);

    /**
     * The last tick the latest transaction this thread committed took (the highest, when it wrote several
     * databases), or 0 when it logged nothing; reset to 0. What a synchronous write waits for followers to reach.
     */
    public long takeLastTick() {
        long[] last = lastCommittedTick.get();
        long tick = last[0];
        last[0] = 0;
        return tick;
    }

    /** The changes of one transaction, per database, logged as its last statements before commit. */
    private final class Pending implements TransactionSynchronization {
        private final Map<String, Map<List<String>, LogChange>> byDatabase = new TreeMap<>();
        private long lastTick;

        void add(String database, List<LogChange> changes) {
            Map<List<String>, LogChange> rows = byDatabase.computeIfAbsent(database, k -> new LinkedHashMap<>());
            for (LogChange change : changes) {
                rows.put(List.of(change.collection(), change.key()), change);
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            // databases in name order, so two transactions writing the same two databases lock them alike
            byDatabase.forEach((database, rows) -> lastTick = Math.max(lastTick, append(database, new ArrayList<>(rows.values()))));
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(ChangeLog.this);
            if (status == STATUS_COMMITTED) {
                lastCommittedTick.get()[0] = lastTick;
                synchronized (commits) {
                    commitGeneration++;
                    commits.notifyAll();
                }
            }
        }
    }

    /** Takes the next ticks under the counter row's lock (held until commit) and inserts the entries; the last tick. */
    private long append(String database, List<LogChange> changes) {
        Jdbc j = jdbc();
        Dialect d = j.dialect();
        int n = changes.size();
        if (d == Dialect.POSTGRESQL && appendOnPostgres(j, database, changes)) {
            // the counter row is locked by this transaction: its value is this append's last tick
            return j.template().queryForObject("SELECT last_tick FROM " + STATE + " WHERE db = ?", Long.class, database);
        }
        if (j.template().update("UPDATE " + STATE + " SET last_tick = last_tick + ? WHERE db = ?", n, database) == 0) {
            // the database's first entries; two first writers collide on the key and one runs again
            j.template().update("INSERT INTO " + STATE + " (db, last_tick, floor_tick) VALUES (?, ?, 0)", database, n);
        }
        long last = j.template().queryForObject("SELECT last_tick FROM " + STATE + " WHERE db = ?", Long.class, database);
        long first = last - n + 1;
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
        List<Integer> positions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            positions.add(i);
        }
        j.template().batchUpdate("INSERT INTO " + TABLE + " (db, tick, collection_name, doc_key, version, op, doc, written_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", positions, 1000, (ps, i) -> {
                    LogChange c = changes.get(i);
                    ps.setString(1, database);
                    ps.setLong(2, first + i);
                    ps.setString(3, c.collection());
                    ps.setString(4, c.key());
                    ps.setBigDecimal(5, c.version() == null ? null : new BigDecimal(c.version()));
                    ps.setString(6, c.op());
                    ps.setString(7, c.json());
                    ps.setTimestamp(8, now);
                });
        return last;
    }

    /**
     * PostgreSQL: the counter's update and the insert of every entry as ONE statement, the entries bound as
     * arrays: the counter row stays locked only for that statement and the commit (a JDBC batch of single-row
     * inserts held it several times longer, and every writer of the database waits for it). False when the
     * database has no counter row yet.
     */
    private static boolean appendOnPostgres(Jdbc j, String database, List<LogChange> changes) {
        int n = changes.size();
        String[] collections = new String[n];
        String[] keys = new String[n];
        BigDecimal[] versions = new BigDecimal[n];
        // the documents as one text cut at a character JSON text cannot hold unescaped (as the import's merge
        // sends them): a text[] parameter is escaped character by character by the driver; a delete is empty
        StringBuilder docs = new StringBuilder(n * 256);
        for (int i = 0; i < n; i++) {
            LogChange c = changes.get(i);
            collections[i] = c.collection();
            keys[i] = c.key();
            versions[i] = c.version() == null ? null : new BigDecimal(c.version());
            if (i > 0) {
                docs.append('\u001e');
            }
            if (c.json() != null) {
                docs.append(c.json());
            }
        }
        String sql = "WITH counter AS (UPDATE " + STATE + " SET last_tick = last_tick + ? WHERE db = ? RETURNING last_tick)"
                + " INSERT INTO " + TABLE + " (db, tick, collection_name, doc_key, version, op, doc, written_at)"
                + " SELECT ?, counter.last_tick - ? + s.n, s.c, s.k, s.v, CASE WHEN s.d IS NULL THEN '" + LogEntry.DELETE
                + "' ELSE '" + LogEntry.PUT + "' END, s.d, ?"
                + " FROM counter, unnest(?::text[], ?::text[], ?::numeric[], string_to_array(?, chr(30), ''))"
                + " WITH ORDINALITY AS s(c, k, v, d, n)";
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
        Integer inserted = j.template().execute((org.springframework.jdbc.core.ConnectionCallback<Integer>) c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, n);
                ps.setString(2, database);
                ps.setString(3, database);
                ps.setInt(4, n);
                ps.setTimestamp(5, now);
                ps.setArray(6, c.createArrayOf("text", collections));
                ps.setArray(7, c.createArrayOf("text", keys));
                ps.setArray(8, c.createArrayOf("numeric", versions));
                ps.setString(9, docs.toString());
                return ps.executeUpdate();
            }
        });
        return inserted != null && inserted == n;
    }

    // ---- reading -----------------------------------------------------------------------------

    /** The log's state for {@code database}; a database never written has last tick 0. */
    public LogState state(String database) {
        Jdbc j = jdbc();
        return j.read(s -> {
            long[] counter = counter(j, database);
            Long min = j.template().queryForObject("SELECT MIN(tick) FROM " + TABLE + " WHERE db = ?", Long.class, database);
            long oldest = Math.max(counter[1], min == null ? counter[0] + 1 : min);
            return new LogState(serverId, database, counter[0], oldest, Instant.now());
        });
    }

    /** The counter row of {@code database}: its last tick and floor tick, both 0 for a database never written. */
    private static long[] counter(Jdbc j, String database) {
        long[] counter = j.template().query("SELECT last_tick, floor_tick FROM " + STATE + " WHERE db = ?",
                rs -> rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null, database);
        return counter == null ? new long[2] : counter;
    }

    /**
     * Up to {@code limit} entries with ticks after {@code from}, waiting up to {@code wait} for the first one to
     * commit when there is none yet. {@code from} below the retained ticks is {@link LogExpired}; above the
     * last tick an {@link IllegalArgumentException}.
     */
    public LogPage read(String database, long from, int limit, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long generation;
            synchronized (commits) {
                generation = commitGeneration;
            }
            LogPage page = readOnce(database, from, limit);
            long left = deadline - System.nanoTime();
            if (!page.entries().isEmpty() || left <= 0) {
                return page;
            }
            synchronized (commits) {
                if (generation == commitGeneration) {
                    try {
                        commits.wait(Math.max(1, Math.min(left, RECHECK.toNanos()) / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return page;
                    }
                }
            }
        }
    }

    private LogPage readOnce(String database, long from, int limit) {
        Jdbc j = jdbc();
        // the counter row only, not state()'s MIN(tick): a pooled connection keeps the plan it cached for that
        // while the log was small, and without fresh statistics it read for about 350 ms a page on a log of a
        // million entries (planned afresh: 0.1 ms). The oldest entry matters only when the entry after from is
        // missing, below.
        long[] counter = j.read(s -> counter(j, database));
        long last = counter[0];
        if (from > last) {
            // H2 can show a committing transaction's entries a moment before its counter row: a reader that has
            // already read tick from is not ahead of the log
            Long seen = j.template().queryForObject("SELECT MAX(tick) FROM " + TABLE + " WHERE db = ? AND tick >= ?",
                    Long.class, database, from);
            if (seen == null) {
                throw new IllegalArgumentException("from " + from + " is after the last tick " + last);
            }
            last = seen;
        }
        if (from < counter[1] - 1) {
            throw new LogExpired(from, state(database).oldestTick());
        }
        // ticks have no gaps, so the next limit + 1 entries are exactly the ticks up to from + limit + 1: the
        // range bound keeps the read to them whatever plan the database picks (with statistics older than a
        // fast-growing log, PostgreSQL can pick a bitmap scan of every entry after from, then a sort)
        long upTo = from + limit + 1;
        List<LogEntry> entries = j.read(s -> j.template().query("SELECT tick, collection_name, doc_key, version, op, doc,"
                + " written_at FROM " + TABLE + " WHERE db = ? AND tick > ? AND tick <= ? ORDER BY tick", (rs, i) -> {
                    BigDecimal version = rs.getBigDecimal(4);
                    // written as UTC wall-clock time (see append), read back the same way
                    Timestamp written = rs.getTimestamp(7);
                    return new LogEntry(rs.getLong(1), rs.getString(2), rs.getString(3),
                            version == null ? null : version.toBigInteger(), rs.getString(5), rs.getString(6),
                            written == null ? null : written.toLocalDateTime().toInstant(ZoneOffset.UTC));
                }, database, from, upTo));
        // ticks are contiguous, so only the run of entries from from + 1 on without a hole is served
        int contiguous = 0;
        while (contiguous < entries.size() && entries.get(contiguous).tick() == from + 1 + contiguous) {
            contiguous++;
        }
        if (contiguous == 0 && (!entries.isEmpty() || from < last)) {
            // retention removed entries since the state was read, or (H2) a commit is not fully visible yet
            long oldest = state(database).oldestTick();
            if (from < oldest - 1) {
                throw new LogExpired(from, oldest);
            }
        }
        boolean more = entries.size() > limit || contiguous < entries.size();
        List<LogEntry> page = entries.subList(0, Math.min(contiguous, limit));
        long lastIncluded = page.isEmpty() ? from : page.get(page.size() - 1).tick();
        return new LogPage(List.copyOf(page), lastIncluded, Math.max(last, lastIncluded), more);
    }

    // ---- retention ---------------------------------------------------------------------------

    /** Removes what retention no longer keeps, in every database's log; how many entries went. */
    public long prune() {
        if (!enabled || (retentionSeconds == 0 && retentionEntries == 0)) {
            return 0;
        }
        Jdbc j = jdbc();
        Timestamp cutoff = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minusSeconds(retentionSeconds));
        long removed = 0;
        for (Map<String, Object> counter : j.template().queryForList("SELECT db, last_tick FROM " + STATE)) {
            String database = (String) counter.get("db");
            long last = ((Number) counter.get("last_tick")).longValue();
            // entries below keepFrom go by count (with no count limit, none)
            long keepFrom = retentionEntries == 0 ? Long.MIN_VALUE : last - retentionEntries + 1;
            while (true) {
                Long oldest = j.template().queryForObject("SELECT MIN(tick) FROM " + TABLE + " WHERE db = ?", Long.class,
                        database);
                if (oldest == null) {
                    break;
                }
                long upTo = oldest + PRUNE_BATCH - 1;
                int byCount = oldest < keepFrom ? j.template().update("DELETE FROM " + TABLE
                        + " WHERE db = ? AND tick >= ? AND tick <= ?", database, oldest, Math.min(upTo, keepFrom - 1)) : 0;
                int byAge = retentionSeconds == 0 ? 0 : j.template().update("DELETE FROM " + TABLE
                        + " WHERE db = ? AND tick >= ? AND tick <= ? AND written_at < ?", database, oldest, upTo, cutoff);
                removed += byCount + byAge;
                // entries are written in tick order, so the first batch that keeps a row ends the old ones
                if (byCount + byAge < PRUNE_BATCH) {
                    break;
                }
            }
        }
        if (removed > 0) {
            LOG.info("Change log retention removed {} entries", removed);
        }
        return removed;
    }
}
