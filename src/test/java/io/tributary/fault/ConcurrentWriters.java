package io.tributary.fault;

import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ordinary concurrent writers of a source table, as production has them: half commit at once, half
 * hold their transaction open for a random time up to {@code holdMs} after taking their keys (or
 * timestamps), and some of those roll back. A key taken early and committed late is exactly what a
 * "read past the highest key" reader skips.
 *
 * <p>Three workloads, one per capture mode:
 * <ul>
 *   <li>{@link Workload#CHANGE_TABLE}: inserts into {@code changes} and, in the same transaction, into
 *       {@code ledger}, which keeps what was committed after Tributary deletes the change rows;</li>
 *   <li>{@link Workload#APPEND}: inserts into {@code events} (generated key, nothing deleted: the table
 *       is its own ledger);</li>
 *   <li>{@link Workload#UPSERT}: updates or inserts rows of {@code items} (ids 1..300) setting
 *       {@code rev = rev + 1} and {@code changed_at} to the database's clock; the table's final state is
 *       the truth.</li>
 * </ul>
 * Every random choice comes from {@code seed} (printed by the tests), so a failing run can be replayed.
 */
final class ConcurrentWriters implements AutoCloseable {

    enum Workload { CHANGE_TABLE, APPEND, UPSERT }

    static final int ITEMS = 300;

    private final TestDatabase db;
    private final Workload workload;
    private final long seed;
    private final int holdMs;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running;

    ConcurrentWriters(TestDatabase db, Workload workload, long seed, int holdMs) {
        this.db = db;
        this.workload = workload;
        this.seed = seed;
        this.holdMs = holdMs;
    }

    /** Creates the workload's tables. */
    void createTables() {
        String key = db.identityKey();
        String ts = db.dialect().timestampType();
        switch (workload) {
            case CHANGE_TABLE -> db.execute(
                    "CREATE TABLE changes (id " + key + ", writer INT NOT NULL, item VARCHAR(40) NOT NULL, qty INT NOT NULL)",
                    "CREATE TABLE ledger (id BIGINT NOT NULL PRIMARY KEY, writer INT NOT NULL, item VARCHAR(40) NOT NULL, qty INT NOT NULL)");
            case APPEND -> db.execute(
                    "CREATE TABLE events (id " + key + ", writer INT NOT NULL, item VARCHAR(40) NOT NULL, qty INT NOT NULL)");
            case UPSERT -> db.execute("CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, writer INT NOT NULL,"
                    + " rev INT NOT NULL, changed_at " + ts + " NOT NULL)");
        }
    }

    /** Starts {@code count} writers: even ones commit at once, odd ones hold their transaction and sometimes roll back. */
    void start(int count) {
        running = true;
        for (int w = 0; w < count; w++) {
            int writer = w;
            Thread t = new Thread(() -> run(writer, new Random(seed * 31 + writer)), "writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops the writers and rethrows anything unexpected they hit. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("writer failed: " + failure.get(), failure.get());
        }
    }

    long committedTransactions() {
        return committed.get();
    }

    long rolledBackTransactions() {
        return rolledBack.get();
    }

    private void run(int writer, Random random) {
        boolean holds = writer % 2 == 1;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "")) {
            c.setAutoCommit(false);
            while (running) {
                try {
                    transaction(c, writer, random, holds);
                } catch (SQLException e) {
                    c.rollback();
                    if (!db.dialect().isTransient(e)) {
                        throw e;
                    }
                    rolledBack.incrementAndGet(); // a deadlock or a concurrent insert of the same item: try again
                }
                Thread.sleep(random.nextInt(5)); // the workload's pacing, not a synchronisation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void transaction(Connection c, int writer, Random random, boolean holds) throws SQLException, InterruptedException {
        int rows = 1 + random.nextInt(5);
        switch (workload) {
            case CHANGE_TABLE, APPEND -> insert(c, writer, random, rows);
            case UPSERT -> upsert(c, writer, random, rows);
        }
        if (holds) {
            Thread.sleep(random.nextInt(holdMs + 1)); // keys (and timestamps) taken, commit still to come
            if (random.nextInt(10) == 0) {
                c.rollback();
                rolledBack.incrementAndGet();
                return;
            }
        }
        c.commit();
        committed.incrementAndGet();
    }

    private void insert(Connection c, int writer, Random random, int rows) throws SQLException {
        String table = workload == Workload.CHANGE_TABLE ? "changes" : "events";
        boolean withLedger = workload == Workload.CHANGE_TABLE;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (writer, item, qty) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS);
             PreparedStatement ledger = withLedger ? c.prepareStatement("INSERT INTO ledger (id, writer, item, qty) VALUES (?, ?, ?, ?)")
                     : null) {
            for (int i = 0; i < rows; i++) {
                String item = "item-" + random.nextInt(1000);
                int qty = random.nextInt(100);
                ps.setInt(1, writer);
                ps.setString(2, item);
                ps.setInt(3, qty);
                ps.executeUpdate();
                long id;
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                if (withLedger) {
                    ledger.setLong(1, id);
                    ledger.setInt(2, writer);
                    ledger.setString(3, item);
                    ledger.setInt(4, qty);
                    ledger.executeUpdate();
                }
            }
        }
    }

    /** Items in ascending id order, so that two writers never deadlock on each other's rows. */
    private void upsert(Connection c, int writer, Random random, int rows) throws SQLException {
        String now = db.dialect() == Dialect.MARIADB ? "NOW(6)" : "LOCALTIMESTAMP";
        long[] ids = random.longs(rows, 1, ITEMS + 1).distinct().sorted().toArray();
        try (PreparedStatement update = c.prepareStatement("UPDATE items SET rev = rev + 1, writer = ?, changed_at = " + now
                + " WHERE id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO items (id, writer, rev, changed_at) VALUES (?, ?, 1, "
                     + now + ")")) {
            for (long id : ids) {
                update.setInt(1, writer);
                update.setLong(2, id);
                if (update.executeUpdate() == 0) {
                    insert.setLong(1, id);
                    insert.setInt(2, writer);
                    insert.executeUpdate();
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (running) {
            stop();
        }
    }
}
