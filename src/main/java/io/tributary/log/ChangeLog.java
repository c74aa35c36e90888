package io.tributary.log;

import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
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
import org.apache.camel.CamelContext;
import org.apache.camel.spi.OnCamelContextStopping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The change log of the central store: one log per database, each committed change to a collection at a
 * position (tick). Writers {@link #record} the rows they changed inside their transaction. Just before it
 * commits, the transaction inserts its entries under a transaction number of its own (no lock), and then, as
 * its last step, locks the database's counter row ({@code tributary_log_state}), takes the next ticks and
 * records them for that number in one small row ({@code tributary_log_commits}). The lock is held until that
 * commit, so a database's ticks are taken in commit order: whoever sees tick T in one read sees every tick
 * below it, since those transactions committed before T's took the lock. Only the small row is written under
 * the lock, so concurrent writers wait for each other's commit only, not for each other's entries. Ticks are
 * contiguous (a rolled-back transaction gives its ticks back with the counter), persisted, and shared by every
 * process writing the same central database.
 */
public class ChangeLog implements OnCamelContextStopping {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeLog.class);
    /** The entries, under the number of the transaction that made them, packed a part per row ({@link EntryPart}). */
    static final String ENTRIES = "tributary_log_entries";
    /** One row per committed transaction and database: its first tick, how many, and its transaction number. */
    static final String COMMITS = "tributary_log_commits";
    /** The transaction numbers (a sequence: taking one locks nothing). */
    static final String NUMBERS = "tributary_log_txn";
    /** The single table of an earlier layout, with the tick on each entry; replaced at start ({@link #replaceOldLayout}). */
    static final String OLD_TABLE = "tributary_log";
    static final String STATE = "tributary_log_state";
    static final String SERVER = "tributary_server";
    /** Entries removed per transaction by retention, about: a large backlog never becomes one huge transaction. */
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
    /** Set when the node stops: a waiting read answers at once, or Camel's graceful stop would wait for it. */
    private volatile boolean stopping;

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
            j.create("CREATE TABLE IF NOT EXISTS " + ENTRIES + " (txn BIGINT NOT NULL, first_n INT NOT NULL,"
                    + " entries INT NOT NULL, packed " + d.binaryType() + " NOT NULL, PRIMARY KEY (txn, first_n))"
                    + d.tableOptions());
            if (d == Dialect.POSTGRESQL && !"e".equals(j.template().queryForObject("SELECT attstorage::text FROM pg_attribute"
                    + " WHERE attrelid = '" + ENTRIES + "'::regclass AND attname = 'packed'", String.class))) {
                // the parts are compressed already: stored out of line as they are, with no second compression
                j.template().execute("ALTER TABLE " + ENTRIES + " ALTER COLUMN packed SET STORAGE EXTERNAL");
            }
            j.create("CREATE TABLE IF NOT EXISTS " + COMMITS + " (db " + d.asciiKeyType(64) + " NOT NULL,"
                    + " first_tick BIGINT NOT NULL, entries INT NOT NULL, txn BIGINT NOT NULL, written_at "
                    + d.timestampType() + " NOT NULL, PRIMARY KEY (db, first_tick))" + d.tableOptions());
            j.create("CREATE SEQUENCE IF NOT EXISTS " + NUMBERS);
            j.create("CREATE TABLE IF NOT EXISTS " + STATE + " (db " + d.asciiKeyType(64) + " NOT NULL PRIMARY KEY,"
                    + " last_tick BIGINT NOT NULL, floor_tick BIGINT NOT NULL)" + d.tableOptions());
            j.create("CREATE TABLE IF NOT EXISTS " + SERVER + " (name " + d.asciiKeyType(32) + " NOT NULL PRIMARY KEY,"
                    + " val VARCHAR(64) NOT NULL)" + d.tableOptions());
            serverId = setting(j, "server-id", UUID.randomUUID().toString());
            replaceOldLayout(j);
            markGap(j);
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot create the change log tables: " + Jdbc.reason(e), e);
        }
        return j;
    }

    /**
     * A central database whose log is still in the earlier single-table layout: its entries are not carried
     * over; the log continues after a gap ({@link #markGap}), so its followers copy afresh once.
     */
    private static void replaceOldLayout(Jdbc j) {
        // looked up in the catalog: a failed probe would abort the transaction a first write opened on PostgreSQL
        boolean old = Boolean.TRUE.equals(j.template().execute((org.springframework.jdbc.core.ConnectionCallback<Boolean>) c -> {
            for (String name : new String[] {OLD_TABLE, OLD_TABLE.toUpperCase(java.util.Locale.ROOT)}) {
                try (java.sql.ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), name,
                        new String[] {"TABLE"})) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
            return false;
        }));
        if (old) {
            setting(j, "log-gap", "true");
            j.template().execute("DROP TABLE IF EXISTS " + OLD_TABLE);
            LOG.warn("The change log's table {} of an earlier layout was replaced by {} and {}", OLD_TABLE, ENTRIES, COMMITS);
        }
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
        return table.equals(ENTRIES) || table.equals(COMMITS) || table.equals(STATE) || table.equals(SERVER)
                || table.equals(OLD_TABLE) || table.equals(NUMBERS);
    }

    // ---- writing -----------------------------------------------------------------------------

    /**
     * Adds the changes of the running transaction (of this DataSource) to its pending entries; they get their
     * ticks when it commits, and vanish with it when it rolls back. A later change of the same key in the same
     * transaction replaces the earlier one while it waits: only what the commit leaves is logged. At most 1,000
     * changes wait: more are inserted at once (uncommitted), so a change after that is logged as well, in order.
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

    /** The entries of one transaction in one database inserted before its commit: under which number, how many. */
    private static final class Inserted {
        final long txn;
        int count;

        Inserted(long txn) {
            this.txn = txn;
        }
    }

    /** The changes of one transaction, per database, logged as its last statements before commit. */
    private final class Pending implements TransactionSynchronization {
        /** Per database: the changes not yet inserted, one per collection and key (the latest). */
        private final Map<String, Map<List<String>, LogChange>> byDatabase = new TreeMap<>();
        /** Per database: the entries inserted so far. */
        private final Map<String, Inserted> inserted = new TreeMap<>();
        private long lastTick;

        void add(String database, List<LogChange> changes) {
            Map<List<String>, LogChange> rows = byDatabase.computeIfAbsent(database, k -> new LinkedHashMap<>());
            for (LogChange change : changes) {
                rows.put(List.of(change.collection(), change.key()), change);
                // a large transaction (a sync's swap of a whole collection) inserts its entries as they come:
                // held until the commit they would fill the heap
                if (rows.size() >= EntryPart.MAX_ENTRIES) {
                    insertPending(database, rows);
                }
            }
        }

        private void insertPending(String database, Map<List<String>, LogChange> rows) {
            Jdbc j = jdbc();
            Inserted done = inserted.computeIfAbsent(database, d -> new Inserted(newTxn(j)));
            done.count += insert(j, done.txn, done.count, new ArrayList<>(rows.values()));
            rows.clear();
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            // every database's entries before the first counter lock, so no lock is held over an insert of
            // entries; the counters in name order, so two transactions writing the same two databases lock them alike
            byDatabase.forEach((database, rows) -> {
                if (!rows.isEmpty()) {
                    insertPending(database, rows);
                }
            });
            Jdbc j = jdbc();
            inserted.forEach((database, done) -> lastTick = Math.max(lastTick, tick(j, database, done.count, done.txn)));
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

    /**
     * Takes the next {@code n} ticks of {@code database} under its counter row's lock (held until commit) and
     * records them for the entries inserted under {@code txn}; the last tick.
     */
    private static long tick(Jdbc j, String database, int n, long txn) {
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
        if (j.dialect() == Dialect.POSTGRESQL) {
            // the counter's update and the commit row in one statement, which returns the last tick
            List<Long> last = j.template().queryForList("WITH counter AS (UPDATE " + STATE + " SET last_tick = last_tick + ?"
                    + " WHERE db = ? RETURNING last_tick) INSERT INTO " + COMMITS + " (db, first_tick, entries, txn, written_at)"
                    + " SELECT ?, counter.last_tick - ? + 1, ?, ?, ? FROM counter RETURNING first_tick + entries - 1",
                    Long.class, n, database, database, n, n, txn, now);
            if (!last.isEmpty()) {
                return last.get(0);
            }
        }
        if (j.template().update("UPDATE " + STATE + " SET last_tick = last_tick + ? WHERE db = ?", n, database) == 0) {
            // the database's first entries; two first writers collide on the key and one runs again
            j.template().update("INSERT INTO " + STATE + " (db, last_tick, floor_tick) VALUES (?, ?, 0)", database, n);
        }
        long last = j.template().queryForObject("SELECT last_tick FROM " + STATE + " WHERE db = ?", Long.class, database);
        j.template().update("INSERT INTO " + COMMITS + " (db, first_tick, entries, txn, written_at) VALUES (?, ?, ?, ?, ?)",
                database, last - n + 1, n, txn, now);
        return last;
    }

    /** A new transaction number for entries (taking one locks nothing). */
    private static long newTxn(Jdbc j) {
        return j.template().queryForObject(j.dialect() == Dialect.POSTGRESQL ? "SELECT nextval('" + NUMBERS + "')"
                : "SELECT NEXT VALUE FOR " + NUMBERS, Long.class);
    }

    /** The entries packed in parts under {@code txn}, numbered on from {@code before}; how many. */
    private static int insert(Jdbc j, long txn, int before, List<LogChange> changes) {
        List<Object[]> parts = new ArrayList<>();
        for (int from = 0; from < changes.size(); ) {
            EntryPart part = EntryPart.pack(changes, from);
            parts.add(new Object[] {txn, before + from + 1, part.size(), part.packed()});
            from += part.size();
        }
        j.template().batchUpdate("INSERT INTO " + ENTRIES + " (txn, first_n, entries, packed) VALUES (?, ?, ?, ?)", parts);
        return changes.size();
    }

    // ---- reading -----------------------------------------------------------------------------

    /** The log's state for {@code database}; a database never written has last tick 0. */
    public LogState state(String database) {
        Jdbc j = jdbc();
        return j.read(s -> {
            long[] counter = counter(j, database);
            Long min = j.template().queryForObject("SELECT MIN(first_tick) FROM " + COMMITS + " WHERE db = ?", Long.class,
                    database);
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
     * last tick an {@link IllegalArgumentException}. Once the node stops, it waits no more.
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
            if (!page.entries().isEmpty() || left <= 0 || stopping) {
                return page;
            }
            synchronized (commits) {
                if (generation == commitGeneration && !stopping) {
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

    /**
     * The node stops: waiting reads answer now with what is there (an empty page, as when their wait ends),
     * so the stop does not run into Camel's shutdown timeout with a follower's long poll in flight.
     */
    @Override
    public void onContextStopping(CamelContext context) {
        stopping = true;
        synchronized (commits) {
            commits.notifyAll();
        }
    }

    private LogPage readOnce(String database, long from, int limit) {
        Jdbc j = jdbc();
        // the counter row only, not state()'s oldest tick: the oldest entry matters only when the entry after
        // from is missing, below
        long[] counter = j.read(s -> counter(j, database));
        long last = counter[0];
        if (from > last) {
            // H2 can show a committing transaction's entries a moment before its counter row: a reader that has
            // already read tick from is not ahead of the log
            Long seen = j.template().query("SELECT first_tick + entries - 1 FROM " + COMMITS + " WHERE db = ?"
                    + " ORDER BY first_tick DESC LIMIT 1", rs -> rs.next() ? rs.getLong(1) : null, database);
            seen = seen == null || seen < from ? null : seen;
            if (seen == null) {
                throw new IllegalArgumentException("from " + from + " is after the last tick " + last);
            }
            last = seen;
        }
        if (from < counter[1] - 1) {
            throw new LogExpired(from, state(database).oldestTick());
        }
        // ticks have no gaps, so the next limit + 1 entries are exactly the ticks up to from + limit + 1: the
        // range bounds keep the read to them whatever plan the database picks. A transaction's entries are
        // numbered 1..n from its first tick, so a part's first tick is first_tick + first_n - 1.
        long upTo = from + limit + 1;
        List<LogEntry> entries = new ArrayList<>();
        j.read(s -> {
            j.template().query("SELECT c.first_tick + p.first_n - 1, p.entries, p.packed, c.written_at FROM " + COMMITS
                    + " c JOIN " + ENTRIES + " p ON p.txn = c.txn WHERE c.db = ? AND c.first_tick >= COALESCE((SELECT"
                    + " MAX(first_tick) FROM " + COMMITS + " WHERE db = ? AND first_tick <= ?), 0) AND c.first_tick <= ?"
                    + " AND c.first_tick + p.first_n + p.entries - 2 > ? AND c.first_tick + p.first_n - 1 <= ?"
                    + " ORDER BY c.first_tick, p.first_n", rs -> {
                        // written as UTC wall-clock time (see append), read back the same way
                        Timestamp written = rs.getTimestamp(4);
                        entries.addAll(EntryPart.unpack(rs.getBytes(3), rs.getLong(1), rs.getInt(2), from, upTo,
                                written == null ? null : written.toLocalDateTime().toInstant(ZoneOffset.UTC)));
                    }, database, database, from + 1, upTo, from, upTo);
            return null;
        });
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

    /**
     * Removes what retention no longer keeps, in every database's log; how many entries went. Only the oldest
     * ticks go, up to the first transaction retention keeps: commit times are not in tick order (a writer takes
     * its time before it waits for the counter's lock, and processes' clocks differ), and a transaction removed
     * above a kept one would leave a hole readers stop at. A transaction's entries go together: one that still
     * has an entry to keep stays whole.
     */
    public long prune() {
        if (!enabled || (retentionSeconds == 0 && retentionEntries == 0)) {
            return 0;
        }
        Jdbc j = jdbc();
        Timestamp cutoff = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minusSeconds(retentionSeconds));
        String kept = (retentionEntries == 0 ? "1 = 1" : "first_tick + entries - 1 >= ?") + " AND "
                + (retentionSeconds == 0 ? "1 = 1" : "written_at >= ?");
        long removed = 0;
        for (Map<String, Object> counter : j.template().queryForList("SELECT db, last_tick FROM " + STATE)) {
            String database = (String) counter.get("db");
            long last = ((Number) counter.get("last_tick")).longValue();
            List<Object> args = new ArrayList<>(List.of(database));
            if (retentionEntries > 0) {
                args.add(last - retentionEntries + 1);
            }
            if (retentionSeconds > 0) {
                args.add(cutoff);
            }
            // the oldest transaction retention keeps; none: every commit up to now goes
            Long keptFrom = j.template().query("SELECT first_tick FROM " + COMMITS + " WHERE db = ? AND " + kept
                    + " ORDER BY first_tick LIMIT 1", rs -> rs.next() ? rs.getLong(1) : null, args.toArray());
            long below = keptFrom == null ? last + 1 : keptFrom;
            while (true) {
                // the oldest transactions to go, up to about PRUNE_BATCH entries
                List<long[]> going = j.template().query("SELECT first_tick, entries, txn FROM " + COMMITS
                        + " WHERE db = ? AND first_tick < ? ORDER BY first_tick LIMIT " + PRUNE_BATCH,
                        (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, database, below);
                if (going.isEmpty()) {
                    break;
                }
                long entries = 0;
                List<Long> txns = new ArrayList<>();
                for (long[] commit : going) {
                    entries += commit[1];
                    txns.add(commit[2]);
                    if (entries >= PRUNE_BATCH) {
                        break;
                    }
                }
                removed += entries;
                long upTo = going.get(txns.size() - 1)[0];
                j.transaction("removing change log entries retention no longer keeps", s -> {
                    // by their numbers, not a subquery: MariaDB scans (and under REPEATABLE READ locks) every
                    // part for a DELETE ... WHERE txn IN (SELECT ...), and writers would wait for the pass
                    Jdbc.inChunks(txns, chunk -> j.named().update("DELETE FROM " + ENTRIES + " WHERE txn IN (:txns)",
                            Map.of("txns", chunk)));
                    return j.template().update("DELETE FROM " + COMMITS + " WHERE db = ? AND first_tick <= ?", database, upTo);
                });
            }
        }
        if (removed > 0) {
            LOG.info("Change log retention removed {} entries", removed);
        }
        return removed;
    }
}
