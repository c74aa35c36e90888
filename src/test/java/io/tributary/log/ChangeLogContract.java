package io.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.DocumentLimit;
import io.tributary.central.ImportBody;
import io.tributary.central.ImportRequest;
import io.tributary.central.ImportResult;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every write path of the central store logs exactly the rows it changed, in commit order, on each
 * database: imports (each onDuplicate mode, overwrite, PostgreSQL's set-based merge), document removal,
 * a sync's upsert, delete, swap and partition swap. Under concurrent writers a tailing reader never
 * finds an entry below a tick it has passed, and replaying the log gives the collection.
 */
public abstract class ChangeLogContract {

    protected abstract Dialect dialect();

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private TestDatabase db;
    private CollectionStore store;
    private ChangeLog log;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(dialect(), "changelog");
        // eight writers racing to create the same new keys collide often (H2 above all): each import may run
        // again more often than by default before it fails
        JdbcCollectionStore jdbcStore = new JdbcCollectionStore();
        jdbcStore.setDataSource(db.dataSource());
        jdbcStore.setMaxAttempts(30);
        jdbcStore.start();
        store = jdbcStore;
        log = store.changeLog();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private ImportResult importJson(String query, String body) {
        ImportRequest request = ImportRequest.parse("collection=c&createCollection=true&type=array&" + query);
        return store.importDocuments("_system", request, ImportBody.parse(new DocumentLimit(DocumentLimit.DEFAULT_MAX_BYTES),
                request, body.getBytes(StandardCharsets.UTF_8)), null);
    }

    /** Every entry after {@code from}, as "op key version x" lines. */
    private List<String> entriesAfter(long from) {
        return log.read("_system", from, 10_000, Duration.ZERO).entries().stream().map(ChangeLogContract::describe).toList();
    }

    private static String describe(LogEntry e) {
        String x = e.json() == null ? "-" : json(e.json()).path("x").asText();
        return e.op() + " " + e.collection() + "/" + e.key() + " " + e.version() + " " + x;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long lastTick() {
        return log.state("_system").lastTick();
    }

    @Test
    void importsLogTheRowsTheyWroteAndNothingTheVersionRuleIgnored() {
        importJson("onDuplicate=replace&versionAttribute=v",
                "[{\"_key\":\"a\",\"v\":5,\"x\":\"a5\"},{\"_key\":\"b\",\"v\":5,\"x\":\"b5\"}]");
        assertThat(entriesAfter(0)).containsExactly("put c/a 5 a5", "put c/b 5 b5");

        long t = lastTick();
        // older (ignored), tie with the same content (ignored), newer (written), new key (written)
        importJson("onDuplicate=replace&versionAttribute=v", "[{\"_key\":\"a\",\"v\":4,\"x\":\"a4\"},"
                + "{\"_key\":\"b\",\"v\":5,\"x\":\"b5\"},{\"_key\":\"c\",\"v\":1,\"x\":\"c1\"}]");
        importJson("onDuplicate=replace&versionAttribute=v", "[{\"_key\":\"b\",\"v\":6,\"x\":\"b6\"}]");
        assertThat(entriesAfter(t)).containsExactly("put c/c 1 c1", "put c/b 6 b6");

        t = lastTick();
        importJson("onDuplicate=ignore", "[{\"_key\":\"a\",\"x\":\"zz\"},{\"_key\":\"d\",\"x\":\"d\"}]");
        importJson("onDuplicate=error", "[{\"_key\":\"a\",\"x\":\"zz\"},{\"_key\":\"e\",\"x\":\"e\"}]");
        // update merges: the log holds the stored document after the merge (without versionAttribute, unversioned)
        importJson("onDuplicate=update", "[{\"_key\":\"c\",\"y\":1}]");
        assertThat(entriesAfter(t)).containsExactly("put c/d null d", "put c/e null e", "put c/c null c1");
        assertThat(json(log.read("_system", lastTick() - 1, 1, Duration.ZERO).entries().get(0).json()).path("y").asInt())
                .isEqualTo(1);

        t = lastTick();
        assertThatThrownBy(() -> importJson("onDuplicate=replace&complete=true",
                "[{\"_key\":\"f\",\"x\":\"f\"},{\"_key\":\"bad key\"}]")).hasMessageContaining("nothing was imported");
        assertThat(entriesAfter(t)).as("a refused complete import logs nothing").isEmpty();

        store.remove("_system", "c", "e");
        store.remove("_system", "c", "missing");
        assertThat(entriesAfter(t)).containsExactly("delete c/e null -");

        t = lastTick();
        importJson("onDuplicate=replace&overwrite=true", "[{\"_key\":\"a\",\"x\":\"new\"},{\"_key\":\"z\",\"x\":\"z\"}]");
        assertThat(entriesAfter(t)).containsExactlyInAnyOrder("put c/a null new", "delete c/b null -", "delete c/c null -",
                "delete c/d null -", "put c/z null z");
        assertReplayEqualsCollection("c");
    }

    private static VersionedDocument row(String key, Integer version, String x) {
        return new VersionedDocument(key, version == null ? null : BigInteger.valueOf(version),
                "{\"_key\":\"" + key + "\"" + (version == null ? "" : ",\"v\":" + version) + ",\"x\":\"" + x + "\"}");
    }

    @Test
    void syncWritesLogTheRowsTheyChanged() {
        StoredCollection c = store.collection("_system", "s", true);
        c.upsert(List.of(row("a", 5, "a5"), row("b", 5, "b5"), row("u", null, "u")));
        long t = lastTick();
        c.upsert(List.of(row("a", 4, "a4"), row("b", 6, "b6"), row("u", null, "u"), row("n", 1, "n1")));
        assertThat(entriesAfter(t)).as("older and unchanged rows are not logged")
                .containsExactly("put s/n 1 n1", "put s/b 6 b6");

        t = lastTick();
        assertThat(c.delete(List.of("n", "never"))).isEqualTo(1);
        assertThat(entriesAfter(t)).containsExactly("delete s/n null -");

        t = lastTick();
        c.createStaging();
        c.stage(List.of(row("a", 5, "a5"), row("b", 7, "b7"), row("u", null, "u"), row("new", 1, "new")));
        assertThat(entriesAfter(t)).as("staging writes no collection row").isEmpty();
        c.swap((deleting, before) -> { });
        c.dropStaging();
        assertThat(entriesAfter(t)).containsExactlyInAnyOrder("put s/b 7 b7", "put s/new 1 new");

        t = lastTick();
        StoredCollection area = c.staging("p1");
        area.createStaging();
        area.stage(List.of(row("b", 8, "b8")));
        // the partition is the documents whose x starts with "b" or "n": "new" goes, "a" and "u" stay
        area.swapPartition(d -> d.path("x").asText().matches("[bn].*"), (deleting, before) -> { });
        area.dropStaging();
        assertThat(entriesAfter(t)).containsExactlyInAnyOrder("put s/b 8 b8", "delete s/new null -");
        assertReplayEqualsCollection("s");
    }

    /** The collection rebuilt from the whole log equals what is stored: keys, versions, documents. */
    private void assertReplayEqualsCollection(String collection) {
        Map<String, LogEntry> replayed = new TreeMap<>();
        long from = 0;
        while (true) {
            LogPage page = log.read("_system", from, 1000, Duration.ZERO);
            for (LogEntry e : page.entries()) {
                if (!e.collection().equals(collection)) {
                    continue;
                }
                if (e.op().equals(LogEntry.DELETE)) {
                    replayed.remove(e.key());
                } else {
                    replayed.put(e.key(), e);
                }
            }
            from = page.lastIncluded();
            if (!page.checkMore()) {
                break;
            }
        }
        // documents compared as JSON values: PostgreSQL's jsonb keeps attributes in its own order
        Map<String, List<Object>> stored = new TreeMap<>();
        store.collection("_system", collection, false).ranges().page(null, 100_000)
                .forEach(r -> stored.put(r.key(), List.of(String.valueOf(r.version()), json(r.json()))));
        Map<String, List<Object>> fromLog = new TreeMap<>();
        replayed.forEach((k, e) -> fromLog.put(k, List.of(String.valueOf(e.version()), json(e.json()))));
        assertThat(fromLog).isEqualTo(stored);
    }

    @Test
    void concurrentWritersCommitInTickOrderAndTheLogReplaysToTheCollection() throws Exception {
        int writers = 8;
        int batches = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        long seedValue = seed.value();
        try {
            // the reader tails: every entry it reads must have the tick right after the last one it passed
            Future<List<String>> reader = pool.submit(() -> {
                List<String> problems = new ArrayList<>();
                long passed = 0;
                while (true) {
                    boolean last = !writing.get();
                    LogPage page = log.read("_system", passed, 500, Duration.ZERO);
                    for (LogEntry e : page.entries()) {
                        if (e.tick() != passed + 1) {
                            problems.add("after tick " + passed + " came " + e.tick());
                        }
                        passed = e.tick();
                    }
                    if (last && !page.checkMore()) {
                        long end = lastTick();
                        if (passed != end) {
                            problems.add("read up to " + passed + " of " + end);
                        }
                        return problems;
                    }
                }
            });
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writes.add(pool.submit(() -> {
                    Random random = new Random(seedValue + writer);
                    for (int b = 0; b < batches; b++) {
                        StringBuilder body = new StringBuilder("[");
                        java.util.Set<Integer> keys = new java.util.TreeSet<>();
                        while (keys.size() < 20) {
                            keys.add(random.nextInt(200));
                        }
                        for (int k : keys) {
                            if (body.length() > 1) {
                                body.append(',');
                            }
                            // versions collide between writers on purpose: some rows are ignored, some written
                            body.append("{\"_key\":\"k").append(k).append("\",\"v\":").append(random.nextInt(1000))
                                    .append(",\"x\":\"w").append(writer).append('-').append(b).append("\"}");
                        }
                        importJson("onDuplicate=replace&versionAttribute=v", body.append(']').toString());
                        if (b % 10 == 9) {
                            store.collection("_system", "c", false).delete(List.of("k" + random.nextInt(200)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
            writing.set(false);
            assertThat(reader.get()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        assertReplayEqualsCollection("c");
    }

    @Test
    void entriesRetentionNoLongerKeepsAndSays410WithTheOldestTick() {
        for (int i = 0; i < 5; i++) {
            importJson("onDuplicate=replace", "[{\"_key\":\"k" + i + "\",\"x\":\"" + i + "\"}]");
        }
        assertThat(log.prune()).as("by default entries stay a day").isZero();
        log.setRetentionSeconds(0);
        log.setRetentionEntries(2);
        assertThat(log.prune()).isEqualTo(3);
        LogState state = log.state("_system");
        assertThat(state.lastTick()).isEqualTo(5);
        assertThat(state.oldestTick()).isEqualTo(4);
        assertThat(entriesAfter(3)).containsExactly("put c/k3 null 3", "put c/k4 null 4");
        assertThatThrownBy(() -> log.read("_system", 2, 10, Duration.ZERO)).isInstanceOfSatisfying(LogExpired.class, e -> {
            assertThat(e.status()).isEqualTo(410);
            assertThat(e.oldestTick()).isEqualTo(4);
            assertThat(json(e.body()).path("oldestTick").asLong()).isEqualTo(4);
        });
        assertThatThrownBy(() -> log.read("_system", 6, 10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after the last tick 5");
    }

    @Test
    void aWaitingReadReturnsTheEntryThatCommitsMeanwhile() throws Exception {
        importJson("onDuplicate=replace", "[{\"_key\":\"first\",\"x\":\"1\"}]");
        long from = lastTick();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<LogPage> waiting = pool.submit(() -> log.read("_system", from, 10, Duration.ofSeconds(60)));
            importJson("onDuplicate=replace", "[{\"_key\":\"second\",\"x\":\"2\"}]");
            LogPage page = waiting.get();
            assertThat(page.entries()).extracting(LogEntry::key).containsExactly("second");
            assertThat(page.lastIncluded()).isEqualTo(from + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writesWhileTheLogWasOffSendEarlierReadersBackTo410() {
        importJson("onDuplicate=replace", "[{\"_key\":\"before\",\"x\":\"1\"}]");
        long before = lastTick();
        ChangeLog off = new ChangeLog();
        off.setDataSource(db.dataSource());
        off.setEnabled(false);
        off.start();
        ChangeLog on = new ChangeLog();
        on.setDataSource(db.dataSource());
        on.start();
        LogState state = on.state("_system");
        assertThat(state.lastTick()).as("one tick skipped").isEqualTo(before + 1);
        assertThat(state.oldestTick()).isEqualTo(before + 2);
        assertThatThrownBy(() -> on.read("_system", before, 10, Duration.ZERO)).isInstanceOf(LogExpired.class);
        assertThat(on.read("_system", before + 1, 10, Duration.ZERO).entries()).isEmpty();
        ChangeLog again = new ChangeLog();
        again.setDataSource(db.dataSource());
        again.start();
        assertThat(again.state("_system").lastTick()).as("the gap is closed once").isEqualTo(before + 1);
    }

    @Test
    void theServerIdStaysWithTheCentralDatabase() {
        String id = log.serverId();
        ChangeLog again = new ChangeLog();
        again.setDataSource(db.dataSource());
        assertThat(again.serverId()).isEqualTo(id).isNotBlank();
    }

    /**
     * One transaction of more entries than a stored part holds (a part: at most 1,000 entries): read in pages
     * whose bounds fall anywhere inside and across parts, every tick comes once, in order, with its document.
     */
    @Test
    void aLargeTransactionIsReadInAnyPagesAcrossItsParts() {
        int n = EntryPart.MAX_ENTRIES * 2 + 537;
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"_key\":\"k").append(i).append("\",\"x\":\"\u00e9").append(i).append("\"}");
        }
        long before = lastTick();
        importJson("onDuplicate=replace", body.append("]").toString());
        assertThat(lastTick()).isEqualTo(before + n);
        Random random = seed.random();
        List<LogEntry> read = new ArrayList<>();
        long from = before;
        while (from < before + n) {
            LogPage page = log.read("_system", from, 1 + random.nextInt(1500), Duration.ZERO);
            assertThat(page.entries()).as("a page after %d", from).isNotEmpty();
            read.addAll(page.entries());
            from = page.lastIncluded();
        }
        assertThat(read).hasSize(n);
        for (int i = 0; i < n; i++) {
            LogEntry e = read.get(i);
            assertThat(e.tick()).isEqualTo(before + 1 + i);
            assertThat(e.time()).isEqualTo(read.get(0).time());
        }
        Map<String, String> x = new HashMap<>();
        read.forEach(e -> x.put(e.key(), json(e.json()).path("x").asText()));
        assertThat(x).hasSize(n).containsEntry("k0", "\u00e90").containsEntry("k" + (n - 1), "\u00e9" + (n - 1));
    }

    /**
     * A transaction of many changes (a sync's swap of a whole collection) inserts its entries as they come
     * rather than holding them all until the commit: held, a 200 MB collection's swap ran out of a 256 MB heap.
     * Its entries still get their ticks together at the commit, in order.
     */
    @Test
    void aLargeTransactionInsertsItsEntriesAsTheyCome() {
        int n = EntryPart.MAX_ENTRIES * 2 + 500;
        long before = lastTick();
        Jdbc jdbc = new Jdbc(db.dataSource());
        String inserted = "SELECT COALESCE(SUM(entries), 0) FROM " + ChangeLog.ENTRIES;
        long insertedBefore = jdbc.template().queryForObject(inserted, Long.class);
        long insertedInside = jdbc.transaction("a large transaction", s -> {
            for (int i = 0; i < n; i++) {
                log.record("_system", List.of(LogChange.put("c", "k" + i, BigInteger.ONE, "{\"x\":" + i + "}")));
            }
            return jdbc.template().queryForObject(inserted, Long.class) - insertedBefore;
        });
        assertThat(insertedInside).as("entries inserted before the commit").isEqualTo(EntryPart.MAX_ENTRIES * 2L);
        assertThat(lastTick()).isEqualTo(before + n);
        List<String> read = new ArrayList<>();
        long from = before;
        while (from < before + n) {
            LogPage page = log.read("_system", from, 1000, Duration.ZERO);
            page.entries().forEach(e -> read.add(e.key() + " " + json(e.json()).path("x").asInt()));
            from = page.lastIncluded();
        }
        assertThat(read).hasSize(n).startsWith("k0 0", "k1 1").endsWith("k" + (n - 1) + " " + (n - 1));
    }

    /** A full sync's swap of more rows than a page logs every written row once, read a page at a time. */
    @Test
    void aSwapOfManyRowsLogsEachWrittenRowOnce() {
        StoredCollection c = store.collection("_system", "many", true);
        List<VersionedDocument> before = new ArrayList<>();
        List<VersionedDocument> after = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            String key = String.format("k%05d", i);
            if (i < 1_000) {
                before.add(row(key, 1, "old"));
            }
            // every third row stays as stored: not written, not logged
            after.add(i < 1_000 && i % 3 == 0 ? row(key, 1, "old") : row(key, 2, "new" + i));
        }
        c.upsert(before);
        long t = lastTick();
        c.createStaging();
        for (int from = 0; from < after.size(); from += 1000) {
            c.stage(after.subList(from, Math.min(after.size(), from + 1000)));
        }
        c.swap((deleting, rows) -> { });
        c.dropStaging();
        List<String> logged = entriesAfter(t);
        assertThat(logged).hasSize(2_500 - 334).doesNotHaveDuplicates().contains("put many/k02499 2 new2499")
                .doesNotContain("put many/k00000 1 old");
        assertReplayEqualsCollection("many");
    }

    /**
     * A large transaction that rolls back after some of its entries were inserted leaves no entry and no tick,
     * and a key changed on both sides of an insert ends as the commit left it: the next transaction's entries
     * follow on without a hole.
     */
    @Test
    void aLargeTransactionRolledBackAfterInsertingEntriesLeavesNothing() {
        int n = EntryPart.MAX_ENTRIES + 10;
        long before = lastTick();
        Jdbc jdbc = new Jdbc(db.dataSource());
        String inserted = "SELECT COALESCE(SUM(entries), 0) FROM " + ChangeLog.ENTRIES;
        long insertedBefore = jdbc.template().queryForObject(inserted, Long.class);
        assertThatThrownBy(() -> jdbc.transaction("rolled back", s -> {
            for (int i = 0; i < n; i++) {
                log.record("_system", List.of(LogChange.put("c", "k" + i, BigInteger.ONE, "{\"x\":" + i + "}")));
            }
            throw new IllegalStateException("rolled back on purpose");
        })).hasMessage("rolled back on purpose");
        assertThat(jdbc.template().queryForObject(inserted, Long.class)).isEqualTo(insertedBefore);
        assertThat(lastTick()).isEqualTo(before);

        jdbc.transaction("committed", s -> {
            log.record("_system", List.of(LogChange.put("c", "twice", BigInteger.ONE, "{\"x\":1}")));
            for (int i = 0; i < n; i++) {
                log.record("_system", List.of(LogChange.put("c", "k" + i, BigInteger.ONE, "{\"x\":" + i + "}")));
            }
            log.record("_system", List.of(LogChange.delete("c", "twice")));
            return null;
        });
        assertThat(lastTick()).isEqualTo(before + n + 2);
        List<String> twice = new ArrayList<>();
        long from = before;
        while (from < before + n + 2) {
            LogPage page = log.read("_system", from, 1000, Duration.ZERO);
            assertThat(page.entries()).as("entries after tick %d", from).isNotEmpty();
            page.entries().stream().filter(e -> e.key().equals("twice")).forEach(e -> twice.add(e.op()));
            from = page.lastIncluded();
        }
        assertThat(twice).containsExactly(LogEntry.PUT, LogEntry.DELETE);
    }

    /** Retention takes a transaction's entries together: one still kept keeps the whole transaction. */
    @Test
    void retentionKeepsATransactionWhole() {
        importJson("onDuplicate=replace", "[{\"_key\":\"a\",\"x\":\"a\"},{\"_key\":\"b\",\"x\":\"b\"},"
                + "{\"_key\":\"c\",\"x\":\"c\"}]");
        importJson("onDuplicate=replace", "[{\"_key\":\"d\",\"x\":\"d\"}]");
        log.setRetentionSeconds(0);
        log.setRetentionEntries(2);
        assertThat(log.prune()).as("the 3-entry transaction holds tick 3, which is kept").isZero();
        assertThat(log.state("_system").oldestTick()).isEqualTo(1);
        log.setRetentionEntries(1);
        assertThat(log.prune()).isEqualTo(3);
        assertThat(log.state("_system").oldestTick()).isEqualTo(4);
        assertThat(entriesAfter(3)).containsExactly("put c/d null d");
    }

    /**
     * The commit rows' times are not in tick order: a writer takes its time before it waits for the counter
     * row's lock, and processes' clocks differ. Retention by age still removes only the oldest ticks, so the
     * log never has a hole that readers would stop at without a 410.
     */
    @Test
    void retentionByAgeRemovesOnlyTheOldestTicksWhateverTheCommitTimes() {
        for (String k : List.of("a", "b", "c")) {
            importJson("onDuplicate=replace", "[{\"_key\":\"" + k + "\",\"x\":\"" + k + "\"}]");
        }
        // tick 2's commit has the oldest time: it was taken before tick 1's writer took the lock
        db.update("UPDATE tributary_log_commits SET written_at = ? WHERE first_tick = 2",
                java.sql.Timestamp.valueOf(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(2)));
        log.setRetentionSeconds(3600);
        log.prune();
        LogState state = log.state("_system");
        List<String> read = new ArrayList<>();
        long from = state.oldestTick() - 1;
        while (from < state.lastTick()) {
            LogPage page = log.read("_system", from, 10, Duration.ZERO);
            assertThat(page.entries()).as("entries after tick %d of %d (oldest %d)", from, state.lastTick(),
                    state.oldestTick()).isNotEmpty();
            page.entries().forEach(e -> read.add(e.key()));
            from = page.lastIncluded();
        }
        assertThat(read).containsExactly("a", "b", "c");
    }

    /**
     * A retention pass locks only what it removes: a writer commits while a pass's transaction is still open
     * (MariaDB's REPEATABLE READ locks every row a statement scans, so removing the entries by a subquery
     * locked the whole entries table).
     */
    @Test
    void aWriterCommitsWhileARetentionPassIsOpen() throws Exception {
        for (String k : List.of("a", "b", "c")) {
            importJson("onDuplicate=replace", "[{\"_key\":\"" + k + "\",\"x\":\"" + k + "\"}]");
        }
        log.setRetentionSeconds(0);
        log.setRetentionEntries(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            new org.springframework.transaction.support.TransactionTemplate(
                    new org.springframework.jdbc.support.JdbcTransactionManager(db.dataSource())).executeWithoutResult(s -> {
                        // the pass joins this transaction, which stays open until the writer is done
                        assertThat(log.prune()).isEqualTo(2);
                        Future<?> writer = pool.submit(() -> importJson("onDuplicate=replace",
                                "[{\"_key\":\"d\",\"x\":\"d\"}]"));
                        while (!writer.isDone() && !waitsForALock()) {
                            // MariaDB refreshes innodb_trx only after 0.1 s without readers: polled without a
                            // pause, it never shows the wait
                            pause();
                        }
                        assertThat(writer.isDone()).as("the writer committed without waiting for the retention pass").isTrue();
                    });
        } finally {
            pool.shutdownNow();
        }
        assertThat(entriesAfter(2)).containsExactly("put c/c null c", "put c/d null d");
    }

    /**
     * A transaction writing two databases inserts both databases' entries before it takes either counter's
     * lock: while its second insert waits (here for a row another transaction holds), a writer of the first
     * database commits. A test of PostgreSQL and MariaDB only: H2 shows no session waiting for another's
     * uncommitted key (its insert fails at its lock timeout), so the wait this holds open cannot be seen there;
     * the code under test is the same for every database.
     */
    void writeOfTwoDatabasesHoldsNoCounterLockWhileItInsertsEntries() throws Exception {
        importJson("onDuplicate=replace", "[{\"_key\":\"a\",\"x\":\"a\"}]");
        // the numbers are taken one after the other: "_system"'s entries get the next, "other"'s the one after
        long otherTxn = db.count(dialect() == Dialect.POSTGRESQL ? "SELECT nextval('tributary_log_txn')"
                : "SELECT NEXT VALUE FOR tributary_log_txn") + 2;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (java.sql.Connection holder = db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (var ps = holder.prepareStatement("INSERT INTO tributary_log_entries (txn, first_n, entries, packed)"
                    + " VALUES (?, 1, 1, ?)")) {
                ps.setLong(1, otherTxn);
                ps.setBytes(2, new byte[] {0});
                ps.executeUpdate();
            }
            Future<?> both = pool.submit(() -> new org.springframework.transaction.support.TransactionTemplate(
                    new org.springframework.jdbc.support.JdbcTransactionManager(db.dataSource())).executeWithoutResult(s -> {
                        log.record("_system", List.of(LogChange.put("c", "both", null, "{\"x\":\"both\"}")));
                        log.record("other", List.of(LogChange.put("c", "both", null, "{\"x\":\"both\"}")));
                    }));
            while (lockWaits() == 0 && !both.isDone()) {
                pause();
            }
            assertThat(both.isDone()).as("the insert waits for the held row as a lock wait").isFalse();
            Future<?> writer = pool.submit(() -> importJson("onDuplicate=replace", "[{\"_key\":\"w\",\"x\":\"w\"}]"));
            // the writer commits, or waits too (for the counter lock of "_system")
            while (!writer.isDone() && lockWaits() < 2) {
                pause();
            }
            assertThat(writer.isDone()).as("the writer of _system committed while the other transaction inserted").isTrue();
            writer.get();
            holder.rollback();
            both.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(entriesAfter(1)).containsExactly("put c/w null w", "put c/both null both");
        assertThat(log.read("other", 0, 10, Duration.ZERO).entries()).extracting(LogEntry::key).containsExactly("both");
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean waitsForALock() {
        return lockWaits() > 0;
    }

    /** How many sessions of this test's database wait for a lock. */
    private long lockWaits() {
        String sql = switch (dialect()) {
            case MARIADB -> "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                    + " ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()";
            case POSTGRESQL -> "SELECT COUNT(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE NOT l.granted AND a.datname = current_database()";
            case H2 -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
        };
        return db.count(sql);
    }

    /**
     * A central database whose log is in the earlier one-table layout: a node's start drops that table and
     * the log goes on after a gap, so a follower that read the old entries copies afresh instead of missing any.
     */
    @Test
    void aLogOfTheEarlierLayoutIsReplacedAndEarlierReadersGet410() {
        importJson("onDuplicate=replace", "[{\"_key\":\"before\",\"x\":\"1\"}]");
        long before = lastTick();
        db.execute("CREATE TABLE tributary_log (db VARCHAR(64) NOT NULL, tick BIGINT NOT NULL, doc_key VARCHAR(254),"
                + " PRIMARY KEY (db, tick))");
        db.update("INSERT INTO tributary_log (db, tick, doc_key) VALUES ('_system', 1, 'old')");
        ChangeLog restarted = new ChangeLog();
        restarted.setDataSource(db.dataSource());
        restarted.start();
        assertThatThrownBy(() -> db.query("SELECT COUNT(*) FROM tributary_log")).as("the old table is gone")
                .isInstanceOf(Exception.class);
        LogState state = restarted.state("_system");
        assertThat(state.lastTick()).isEqualTo(before + 1);
        assertThatThrownBy(() -> restarted.read("_system", before, 10, Duration.ZERO)).isInstanceOf(LogExpired.class);
    }
}
