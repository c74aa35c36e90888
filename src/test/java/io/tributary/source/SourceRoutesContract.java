package io.tributary.source;

import io.tributary.testing.SourceApp;

import static io.tributary.testing.SourceApp.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestCentral.Behaviour;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source route template's behaviour, run against one database product per subclass: the real
 * YAML template, a real source database and a stand-in central endpoint ({@link TestCentral}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SourceRoutesContract {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** Headers a source may send; anything else (Camel or internal headers) would be a leak. */
    static final Set<String> ALLOWED_HEADERS = Set.of("Accept-encoding", "Authorization", "Connection", "Content-length",
            "Content-type", "Host", "User-agent", "X-tributary-position", "X-tributary-source", "Transfer-encoding", "Expect");

    TestDatabase db;
    TestCentral central;
    SourceApp app;
    String table;
    @TempDir
    Path dir;

    abstract Dialect dialect();

    @BeforeAll
    void createDatabase() {
        db = TestDatabase.create(dialect(), "src");
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void startCentral(TestInfo test) {
        central = new TestCentral();
        table = "chg_" + test.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z]", "");
        table = table.substring(0, Math.min(40, table.length()));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        central.close();
    }

    void createNumericTable(String name) {
        db.execute("CREATE TABLE " + name + " (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(100), amount DECIMAL(10,2))");
    }

    void insertNumeric(String name, int from, int to) {
        for (int i = from; i <= to; i++) {
            db.execute("INSERT INTO " + name + " (id, name, amount) VALUES (" + i + ", 'row " + i + "', " + i + ".50)");
        }
    }

    /** The test's change table with rows 1..rows, and a source reading it. */
    Map<String, String> numericSource(String sourceId, int rows) {
        createNumericTable(table);
        insertNumeric(table, 1, rows);
        return source(sourceId, table, central.url());
    }

    long rows(String name) {
        return db.count("SELECT COUNT(*) FROM " + name);
    }

    Map<String, Object> status(String sourceId) {
        List<Map<String, Object>> rows = db.query("SELECT * FROM tributary_status WHERE source_id = ?", sourceId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    boolean statusTableHasNoRowFor(String sourceId) {
        try {
            return status(sourceId) == null;
        } catch (IllegalStateException noTableYet) {
            return true;
        }
    }

    void awaitEmptied(String name) {
        Await.until(name + " emptied", WAIT, () -> rows(name) == 0, () -> "(" + rows(name) + " rows left)");
    }

    void awaitStatusKey(String sourceId, String key) {
        Await.until("status of " + sourceId + " at key " + key, WAIT,
                () -> status(sourceId) != null && key.equals(String.valueOf(status(sourceId).get("last_key"))));
    }

    /** Every key arrived in exactly one successful import: nothing lost, nothing sent twice. */
    void assertEachArrivedOnce(String keyPrefix, int from, int to) {
        for (int i = from; i <= to; i++) {
            assertThat(central.timesApplied("central/" + keyPrefix + i)).as("imports of key %d", i).isEqualTo(1);
        }
    }

    void awaitDocuments(int count) {
        Await.until(count + " documents at the central node", WAIT, () -> central.documentCount() >= count,
                () -> "(has " + central.documentCount() + ")");
    }

    @Test
    void seedScenarioMovesAllRowsAndEmptiesTheChangeTable() {
        central.close();
        central = new TestCentral("tributary", "s3cr\"et&x");
        Map<String, String> s = numericSource("seed", 100);
        s.put("maxChanges", "30");
        s.put("batchSize", "7");
        s.put("centralUsername", "tributary");
        s.put("centralPassword", "s3cr\"et&x");
        app = SourceApp.start(db, dir, s);

        awaitDocuments(100);
        awaitEmptied(table);
        awaitStatusKey("seed", "100");

        ObjectNode doc = central.documents().get("central/seed-42");
        assertThat(doc.get("_source").asText()).isEqualTo("seed");
        assertThat(doc.get("_version").asLong()).isEqualTo(42);
        assertThat(doc.get("name").asText()).isEqualTo("row 42");
        assertThat(doc.get("amount").decimalValue()).isEqualByComparingTo("42.50");
        assertThat(status("seed").get("position")).isEqualTo("00000000000000000100");
        assertThat(((Number) status("seed").get("rows_transferred")).longValue()).isEqualTo(100);
        // The last run's two batches (7 + 3 rows) went in parallel: the second carried the position acknowledged
        // when it was sent (91..97 may still have failed then), so the central node may trail by that batch.
        assertThat(central.position("seed")).isIn("00000000000000000097", "00000000000000000100");
        assertEachArrivedOnce("seed-", 1, 100);
        // Runs of at most 30 rows in batches of 7: three runs of 7+7+7+7+2, then 7+3.
        assertThat(central.importRequests()).isEqualTo(3 * 5 + 2);
        int withPosition = 0;
        for (Set<String> headers : central.requestHeaders()) {
            assertThat(headers).contains("Authorization");
            // a batch sent while no position was safe yet (first run, earlier batch in flight) carries neither header
            assertThat(headers.contains("X-tributary-source")).isEqualTo(headers.contains("X-tributary-position"));
            withPosition += headers.contains("X-tributary-position") ? 1 : 0;
            assertThat(ALLOWED_HEADERS).containsAll(headers);
        }
        assertThat(withPosition).as("the first batch of each of the 4 runs carries its position").isGreaterThanOrEqualTo(4);
        assertThat(central.requestPaths().get(0)).startsWith("/_api/import?collection=central&createCollection=true&type=array&complete=true")
                .contains("versionAttribute=_version").doesNotContain("s3cr");
    }

    @Test
    void centralFailuresDeleteNothingAndEveryRowArrivesOnceAfterRecovery() {
        Map<String, String> s = numericSource("flaky", 20);
        s.put("batchSize", "5");
        central.behave(Behaviour.FAIL_500, -1);
        app = SourceApp.start(db, dir, s);

        Await.until("two failed runs on 500", WAIT, () -> app.failedRuns() >= 2);
        assertThat(rows(table)).isEqualTo(20);
        assertThat(statusTableHasNoRowFor("flaky")).isTrue();
        // Each failed run made one POST plus one retry.
        assertThat(central.importRequests()).isGreaterThanOrEqualTo(4);

        central.behave(Behaviour.FAIL_409, -1);
        int failed = app.failedRuns();
        Await.until("two failed runs on 409", WAIT, () -> app.failedRuns() >= failed + 2);
        assertThat(rows(table)).isEqualTo(20);
        assertThat(statusTableHasNoRowFor("flaky")).isTrue();

        central.down();
        int failedBeforeDown = app.failedRuns();
        Await.until("two failed runs while the central node is down", WAIT, () -> app.failedRuns() >= failedBeforeDown + 2);
        assertThat(rows(table)).isEqualTo(20);
        assertThat(statusTableHasNoRowFor("flaky")).isTrue();
        assertThat(central.documentCount()).isZero();

        central.behave(Behaviour.OK, -1);
        central.up();
        awaitDocuments(20);
        awaitEmptied(table);
        awaitStatusKey("flaky", "20");
        assertEachArrivedOnce("flaky-", 1, 20);
    }

    @Test
    void crashBetweenCentralCommitAndCheckpointReplaysWithoutDuplicates() {
        Map<String, String> s = numericSource("crash", 10);
        s.put("batchSize", "5");
        s.put("maximumRedeliveries", "0");
        s.put("parallelBatches", "1"); // the second batch must not be in flight when the first fails
        // One run per start: a second run could replay the batch before the app is closed (a race on a busy machine).
        s.put("poll", "timer:tributary-crash?period=600000&delay=0");
        // The central node commits the first batch but the answer is lost: to the source this is a crash.
        central.behave(Behaviour.COMMIT_THEN_500, 1);
        app = SourceApp.start(db, dir, s);
        Await.until("the failed run", WAIT, () -> app.failedRuns() >= 1);
        app.close();
        app = null;
        assertThat(central.documentCount()).isEqualTo(5);
        assertThat(rows(table)).as("nothing deleted after the lost answer").isEqualTo(10);

        app = SourceApp.start(db, dir, s);
        awaitDocuments(10);
        awaitEmptied(table);
        assertThat(central.documentCount()).isEqualTo(10);
        assertThat(central.ignored()).as("replayed documents ignored by version").isEqualTo(5);
        assertThat(central.documents().get("central/crash-3").get("name").asText()).isEqualTo("row 3");
    }

    @Test
    void incrementingModeKeepsRowsAndResumesFromTheCentralPositionWhenStatusIsLost() {
        Map<String, String> s = numericSource("inc", 10);
        s.put("mode", "incrementing");
        s.put("keyPrefix", "");
        app = SourceApp.start(db, dir, s);
        awaitDocuments(10);
        awaitStatusKey("inc", "10");
        app.close();
        app = null;
        assertThat(rows(table)).as("incrementing mode deletes nothing").isEqualTo(10);

        db.execute("DELETE FROM tributary_status WHERE source_id = 'inc'");
        insertNumeric(table, 11, 15);
        app = SourceApp.start(db, dir, s);
        awaitDocuments(15);
        awaitStatusKey("inc", "15");
        assertEachArrivedOnce("", 1, 15);
    }

    @Test
    void timestampModeKeepsRowsSharingATimestampAndWaitsOutTheSafetyLag() {
        db.execute("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(100), changed_at "
                + dialect().timestampType() + " NOT NULL)");
        LocalDateTime old = databaseNow().minusMinutes(1);
        for (int i = 1; i <= 5; i++) {
            insertTimestamped(i, "same " + i, old);
        }
        Map<String, String> s = source("ts", table, central.url());
        s.put("mode", "timestamp");
        s.put("timestampColumn", "changed_at");
        s.put("safetyLagMs", "1500");
        s.put("maxChanges", "2");
        s.put("batchSize", "1");
        app = SourceApp.start(db, dir, s);
        awaitDocuments(5);
        long oldVersion = central.documents().get("central/ts-1").get("_version").asLong();
        assertThat(oldVersion).isEqualTo(Watermark.epochMicros(old));

        // A row stamped now, then one stamped earlier whose transaction commits later: both within the lag.
        LocalDateTime now = databaseNow();
        insertTimestamped(10, "late-stamped", now);
        insertTimestamped(11, "early-stamped", now.minusNanos(500_000_000));
        long inserted = System.nanoTime();
        Await.until("both rows after the lag", WAIT, () -> central.documentCount() >= 7);
        assertThat(Duration.ofNanos(System.nanoTime() - inserted)).as("rows are only read once the lag has passed")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));

        // An update moves the row's timestamp: the document is replaced with the newer version.
        db.execute("UPDATE " + table + " SET name = 'updated' WHERE id = 3");
        updateTimestamp(3, databaseNow());
        Await.until("updated row", WAIT, () -> "updated".equals(central.documents().get("central/ts-3").get("name").asText()));
        assertThat(central.documents().get("central/ts-3").get("_version").asLong()).isGreaterThan(oldVersion);
        assertThat(rows(table)).isEqualTo(7);
        Await.until("watermark at the updated row", WAIT, () -> String.valueOf(status("ts").get("position"))
                .endsWith("|00000000000000000003"));
    }

    @Test
    void stringKeysGoByLengthThenBinaryOrder() {
        db.execute("CREATE TABLE " + table + " (id VARCHAR(50) NOT NULL PRIMARY KEY, name VARCHAR(100))");
        List<String> keys = List.of("Z", "a", "B", "aa", "Ab", "10", "9", "100", "zz", "a_b");
        // Binary order puts upper case first whatever the column's collation (MariaDB's default is case-insensitive).
        for (String key : keys) {
            db.execute("INSERT INTO " + table + " (id, name) VALUES ('" + key + "', 'v')");
        }
        Map<String, String> s = source("str", table, central.url());
        s.put("maxChanges", "3");
        s.put("batchSize", "2");
        s.put("parallelBatches", "1"); // arrival order is read order only when batches go one at a time
        s.put("keyPrefix", "");
        app = SourceApp.start(db, dir, s);
        awaitDocuments(keys.size());
        awaitEmptied(table);
        List<String> expected = new ArrayList<>(keys);
        expected.sort((l, r) -> l.length() != r.length() ? Integer.compare(l.length(), r.length()) : l.compareTo(r));
        assertThat(central.arrivalOrder()).containsExactlyElementsOf(expected);
        assertThat(status("str").get("last_key")).isEqualTo("a_b");
        assertThat(status("str").get("position")).isEqualTo("00003:a_b");
    }

    @Test
    void twoSourcesAndTwoTablesInOneDatabaseDoNotInterfere() {
        String other = table + "_b";
        createNumericTable(table);
        createNumericTable(other);
        insertNumeric(table, 1, 10);
        insertNumeric(other, 1, 12);
        app = SourceApp.start(db, dir, source("alpha", table, central.url()), source("beta", other, central.url()));
        awaitDocuments(22);
        awaitEmptied(table);
        awaitEmptied(other);
        awaitStatusKey("alpha", "10");
        awaitStatusKey("beta", "12");
        assertThat(central.documents().get("central/alpha-5").get("_source").asText()).isEqualTo("alpha");
        assertThat(central.documents().get("central/beta-5").get("_source").asText()).isEqualTo("beta");
    }

    @Test
    void parallelBatchesAreCheckpointedInOrderAndNeverPastAFailedBatch() {
        Map<String, String> s = numericSource("par", 20);
        s.put("batchSize", "5");
        s.put("maxChanges", "20");
        s.put("parallelBatches", "2");
        s.put("maximumRedeliveries", "0");
        s.put("poll", "timer:tributary-par?period=600000&delay=0");
        // The first batch (par-1..5) fails; the second, sent at the same time, is imported.
        central.holdUntilArrived(2);
        central.failBatchesContaining("par-1");
        app = SourceApp.start(db, dir, s);
        Await.until("the failed run", WAIT, () -> app.failedRuns() >= 1);
        app.close();
        app = null;
        assertThat(central.maxConcurrentImports()).isEqualTo(2);
        assertThat(central.timesApplied("central/par-6")).as("the second batch was sent alongside the first").isEqualTo(1);
        assertThat(rows(table)).as("nothing checkpointed past the failed first batch").isEqualTo(20);
        assertThat(statusTableHasNoRowFor("par")).isTrue();
        assertThat(central.position("par")).as("no position ahead of the failed batch").isNull();

        central.failBatchesContaining(null);
        app = SourceApp.start(db, dir, s);
        awaitDocuments(20);
        awaitEmptied(table);
        awaitStatusKey("par", "20");
        assertThat(central.documents().get("central/par-6").get("_version").asLong()).isEqualTo(6);
        for (int i = 1; i <= 20; i++) {
            assertThat(central.documents()).containsKey("central/par-" + i);
        }
    }

    @Test
    void aBatchThatKeepsFailingHoldsBackEveryLaterBatchOfItsRun() {
        Map<String, String> s = numericSource("hold", 200);
        s.put("batchSize", "10");
        s.put("maxChanges", "200");
        s.put("parallelBatches", "2");
        s.put("maximumRedeliveries", "3");
        s.put("redeliveryDelay", "200");
        s.put("poll", "timer:tributary-hold?period=600000&delay=0");
        central.failBatchesContaining("hold-21"); // the third batch, retried three times
        app = SourceApp.start(db, dir, s);
        Await.until("the failed run", WAIT, () -> app.failedRuns() >= 1);
        app.close();
        app = null;
        Set<Integer> arrived = new TreeSet<>();
        for (String key : central.documents().keySet()) {
            arrived.add(Integer.parseInt(key.substring("central/hold-".length())));
        }
        // batches 1 and 2 before it; of the later ones only what was already in flight (parallelBatches - 1 = one batch)
        assertThat(arrived).as("documents that reached the central node").containsAll(range(1, 20))
                .doesNotContainAnyElementsOf(range(21, 30));
        assertThat(arrived.stream().filter(k -> k > 40).toList()).as("documents of batches after the one in flight").isEmpty();
        assertThat(rows(table)).as("the failed batch and everything after it still in the change table").isEqualTo(180);
    }

    @Test
    void centralPositionTrailsByAtMostParallelBatches() {
        Map<String, String> s = numericSource("pos", 100);
        s.put("batchSize", "10");
        s.put("maxChanges", "100");
        s.put("parallelBatches", "2");
        s.put("poll", "timer:tributary-pos?period=600000&delay=0");
        app = SourceApp.start(db, dir, s);
        awaitDocuments(100);
        awaitStatusKey("pos", "100");
        long central = Long.parseLong(this.central.position("pos"));
        System.out.println("central position after a 10-batch drain with parallelBatches 2: " + central + " (watermark 100)");
        assertThat(central).as("central position, in rows: a safe resume point, a few batches behind").isBetween(100L - 4 * 10, 100L);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> keys = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            keys.add(i);
        }
        return keys;
    }

    @Test
    void columnTypesBecomeJsonValuesTheSameWayOnEveryDatabase() {
        Dialect d = dialect();
        String binary = d == Dialect.MARIADB || d == Dialect.H2 ? "VARBINARY(8)" : "BYTEA";
        db.execute("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, flag BOOLEAN, birthday DATE, clock TIME,"
                + " happened " + d.timestampType() + ", amount DECIMAL(10,2), ratio DOUBLE PRECISION, small SMALLINT,"
                + " label VARCHAR(20), missing VARCHAR(20), raw " + binary + ")");
        String bytes = d == Dialect.POSTGRESQL ? "'\\x010203'::bytea" : "X'010203'";
        db.execute("INSERT INTO " + table + " VALUES (1, TRUE, DATE '2026-01-02', TIME '03:04:05',"
                + " TIMESTAMP '2026-01-02 03:04:05.123456', 12.50, 1.5, 7, 'caf\u00e9 \"q\"', NULL, " + bytes + ")");
        app = SourceApp.start(db, dir, source("types", table, central.url()));
        awaitDocuments(1);
        ObjectNode doc = central.documents().get("central/types-1");
        assertThat(doc.get("id").isIntegralNumber()).isTrue();
        assertThat(doc.get("flag").isBoolean()).as(doc.toString()).isTrue();
        assertThat(doc.get("flag").asBoolean()).isTrue();
        assertThat(doc.get("birthday").asText()).isEqualTo("2026-01-02");
        assertThat(doc.get("clock").asText()).isEqualTo("03:04:05");
        assertThat(doc.get("happened").asText()).isEqualTo("2026-01-02T03:04:05.123456");
        assertThat(doc.get("amount").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(doc.get("ratio").asDouble()).isEqualTo(1.5);
        assertThat(doc.get("small").asInt()).isEqualTo(7);
        assertThat(doc.get("label").asText()).isEqualTo("caf\u00e9 \"q\"");
        assertThat(doc.has("missing")).isTrue();
        assertThat(doc.get("missing").isNull()).isTrue();
        assertThat(doc.get("raw").asText()).as("binary as base64").isEqualTo("AQID");
        assertThat(doc.get("_version").asLong()).isEqualTo(1);
    }

    /**
     * Through the real central node into its store on the same database product: a JSON column's decimals
     * arrive as written, neither rounded to a double nor respelled (100.0 is not 1E+2).
     */
    @Test
    void decimalsInJsonColumnsReachTheCentralCollectionWithEveryDigit() {
        Dialect d = dialect();
        List<String> types = d == Dialect.POSTGRESQL ? List.of("JSONB", "JSON") : List.of("JSON");
        String json = "{\"big\": 12345678901234567.123456789, \"small\": 0.1, \"whole\": 100.0}";
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            columns.append(", j").append(i).append(' ').append(types.get(i));
            values.append(", ").append(d == Dialect.H2 ? "JSON '" : "'").append(json).append('\'');
        }
        db.execute("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY" + columns + ")");
        db.execute("INSERT INTO " + table + " VALUES (1" + values + ")");
        int port = TributaryApp.freePort();
        SourceApp.writeSourceFile(dir, source("json", table, "http://127.0.0.1:" + port));
        try (TestDatabase store = TestDatabase.create(d, "central");
             TributaryApp node = TributaryApp.builder().property("camel.server.port", Integer.toString(port))
                     .properties(store.beanProperties("centralDb")).properties(db.beanProperties("sourceDb"))
                     .routes("file:routes/central-import.camel.yaml", SourceApp.TEMPLATE, "file:" + dir + "/*.yaml")
                     .start()) {
            awaitEmptied(table);
            String stored = CentralCollection.documentText(store, "central", "json-1");
            System.out.println(d + " central document: " + stored);
            for (String number : List.of("\"big\": ?12345678901234567\\.123456789", "\"small\": ?0\\.1", "\"whole\": ?100\\.0")) {
                assertThat(Pattern.compile(number + "[,}\\s]").matcher(stored).results().count())
                        .as("%s in each JSON column of %s", number, stored).isEqualTo(types.size());
            }
        }
    }

    @Test
    void stoppingDuringALongDrainEndsAfterTheCurrentPageWithAConsistentCheckpoint() {
        Map<String, String> s = numericSource("drain", 2000);
        s.put("maxChanges", "20");
        s.put("batchSize", "5");
        central.delay(30); // about 4 s to drain the whole backlog
        app = SourceApp.start(db, dir, s);
        awaitDocuments(100);
        app.close(); // graceful stop while the run is still draining
        app = null;
        long left = rows(table);
        assertThat(left).as("the drain stopped after the page in progress instead of finishing the backlog").isGreaterThan(0);
        Object key = status("drain").get("last_key");
        // every row up to the stored watermark was deleted, every row after it is still there
        assertThat(left).isEqualTo(2000 - Long.parseLong(String.valueOf(key)));
        assertThat(Long.parseLong(String.valueOf(key)) % 20).as("a whole page was acknowledged").isZero();
        for (long i = 1; i <= Long.parseLong(String.valueOf(key)); i++) {
            assertThat(central.documents()).containsKey("central/drain-" + i);
        }
        // the slow central node was for stopping mid-drain; the rest drains at full speed, well within WAIT
        central.delay(0);
        app = SourceApp.start(db, dir, s);
        awaitDocuments(2000);
        awaitEmptied(table);
    }

    @Test
    void runsNeverOverlapEvenWhenTheCentralNodeIsSlowerThanThePollPeriod() {
        Map<String, String> s = numericSource("slow", 30);
        s.put("poll", "timer:tributary-slow?period=20&delay=10");
        s.put("batchSize", "5");
        s.put("maxChanges", "10");
        s.put("parallelBatches", "1"); // so that any concurrent import would be an overlapping run
        central.delay(150);
        app = SourceApp.start(db, dir, s);
        awaitDocuments(30);
        awaitEmptied(table);
        assertThat(central.maxConcurrentImports()).isEqualTo(1);
        assertEachArrivedOnce("slow-", 1, 30);
    }

    LocalDateTime databaseNow() {
        Object now = db.query("SELECT " + dialect().localTimestamp() + " AS now").get(0).get("now");
        return now instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : (LocalDateTime) now;
    }

    void insertTimestamped(int id, String name, LocalDateTime at) {
        db.update("INSERT INTO " + table + " (id, name, changed_at) VALUES (?, ?, ?)", id, name, at);
    }

    void updateTimestamp(int id, LocalDateTime at) {
        db.update("UPDATE " + table + " SET changed_at = ? WHERE id = ?", at, id);
    }
}
