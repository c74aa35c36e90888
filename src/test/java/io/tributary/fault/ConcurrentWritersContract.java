package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.fault.ConcurrentWriters.Workload;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four concurrent writers, two of them holding their transactions open for up to 1.5 s after taking
 * their keys or timestamps (and sometimes rolling back), write a source table while the real source
 * route and the real central endpoint run, in each capture mode. At the end every committed row
 * must be in the central collection exactly once with its content, and nothing else.
 *
 * <p>The safety lag of timestamp mode is set well below the writers' hold time on PostgreSQL, which
 * shows its running transactions: there the transaction check, not the lag, has to keep late commits
 * from being skipped. On H2 and MariaDB the lag is the only guard and is set above the hold time, as
 * docs/sources.md requires. {@code -Dtributary.soak=true} writes for 60 s instead of 6 s;
 * {@code -Dtributary.test.seed=N} replays the writers' choices of a run.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConcurrentWritersContract {

    static final Duration WRITING = Duration.ofSeconds(FaultHarness.SOAK ? 60 : 6);
    static final int WRITERS = 4;
    static final int HOLD_MS = 1500;

    TestDatabase central;
    @RegisterExtension
    final TestSeed seed = new TestSeed();
    @TempDir
    Path dir;

    abstract Dialect dialect();

    @BeforeAll
    void createCentral() {
        central = TestDatabase.create(Dialect.H2, "cw_central");
    }

    @AfterAll
    void dropCentral() {
        central.close();
    }

    @Test
    void changeTableModeDeliversEveryCommittedRowOnce() throws Exception {
        run(Workload.CHANGE_TABLE, "cwchg", Map.of("table", "changes", "mode", "change-table"));
    }

    @Test
    void incrementingModeFindsRowsCommittedLateInKeyGaps() throws Exception {
        run(Workload.APPEND, "cwinc", Map.of("table", "events", "mode", "incrementing", "gapTimeoutMs", "3000"));
    }

    @Test
    void timestampModeWaitsForRunningTransactions() throws Exception {
        // PostgreSQL shows its running transactions, so a lag far below the writers' hold time must be enough;
        // H2 and MariaDB do not (reliably): there the lag is the guard and must exceed the hold time
        String lag = dialect() == Dialect.POSTGRESQL ? "300" : String.valueOf(HOLD_MS + 1500);
        run(Workload.UPSERT, "cwts", Map.of("table", "items", "mode", "timestamp", "timestampColumn", "changed_at",
                "safetyLagMs", lag));
    }

    private void run(Workload workload, String sourceId, Map<String, String> parameters) throws Exception {
        System.out.println("CONCURRENT WRITERS " + dialect() + " " + workload);
        try (TestDatabase source = TestDatabase.create(dialect(), sourceId)) {
            ConcurrentWriters writers = new ConcurrentWriters(source, workload, seed.value(), HOLD_MS);
            writers.createTables();
            int port = TributaryApp.freePort();
            Map<String, String> s = SourceApp.source(sourceId, parameters.get("table"), "http://127.0.0.1:" + port);
            s.putAll(parameters);
            s.put("collection", sourceId);
            s.put("batchSize", "20");
            s.put("maxChanges", "200");
            s.put("parallelBatches", "2");
            Path file = SourceApp.writeSourceFile(dir, s);
            Map<String, String> truth;
            try (TributaryApp app = TributaryApp.builder()
                    .routes("file:routes/central-import.camel.yaml", SourceApp.TEMPLATE, "file:" + file)
                    .properties(central.beanProperties("centralDb"))
                    .properties(source.beanProperties("sourceDb"))
                    .property("camel.server.port", String.valueOf(port))
                    .start()) {
                writers.start(WRITERS);
                Thread.sleep(WRITING.toMillis()); // the workload's duration, not a synchronisation
                writers.stop();
                truth = truth(source, workload);
                Await.until("every committed row in the central collection", Duration.ofSeconds(90),
                        () -> difference(central, truth, sourceId, workload).isEmpty(),
                        () -> difference(central, truth, sourceId, workload) + (workload == Workload.APPEND
                                ? " gaps: " + source.query("SELECT * FROM tributary_status_gaps ORDER BY first_key").stream()
                                        .limit(20).toList() : ""));
                if (workload == Workload.APPEND) {
                    assertThat(metrics(port)).as("key gaps on /observe/metrics")
                            .contains("tributary_source_key_gaps_open{source=\"" + sourceId + "\"}")
                            .contains("tributary_source_key_gaps_given_up{source=\"" + sourceId + "\"}");
                }
            }
            Map<String, String> arrived = arrived(central, sourceId, workload);
            assertThat(arrived).as("central documents against the committed rows").isEqualTo(truth);
            if (workload == Workload.CHANGE_TABLE) {
                assertThat(source.count("SELECT COUNT(*) FROM changes")).as("change table emptied").isZero();
            }
            record(WRITERS + " concurrent writers (2 holding transactions up to " + HOLD_MS + " ms, 1 in 10 of those rolled back), "
                    + workload.name().toLowerCase().replace('_', '-') + " workload", dialect(), 1, truth.size(), writers);
        }
    }

    private static String metrics(int port) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What was committed: key -> content, from the ledger or the table itself. */
    static Map<String, String> truth(TestDatabase source, Workload workload) {
        Map<String, String> rows = new TreeMap<>();
        String sql = switch (workload) {
            case CHANGE_TABLE -> "SELECT id, writer, item, qty FROM ledger";
            case APPEND -> "SELECT id, writer, item, qty FROM events";
            case UPSERT -> "SELECT id, writer, rev FROM items";
        };
        for (Map<String, Object> row : source.query(sql)) {
            rows.put(String.valueOf(row.get("id")), content(row, workload));
        }
        return rows;
    }

    /** The collection's documents as key (without the source's prefix) -> content; the collection is named like the source. */
    static Map<String, String> arrived(TestDatabase central, String collection, Workload workload) {
        Map<String, String> docs = new TreeMap<>();
        List<Map<String, Object>> documents;
        try {
            documents = CentralCollection.documents(central, collection);
        } catch (IllegalStateException noCollectionYet) {
            return docs;
        }
        for (Map<String, Object> d : documents) {
            String key = ((String) d.get("_key")).substring(collection.length() + 1);
            String previous = docs.put(key, content(d, workload));
            assertThat(previous).as("document " + key + " twice").isNull();
        }
        return docs;
    }

    private static String content(Map<String, Object> row, Workload workload) {
        return workload == Workload.UPSERT ? row.get("id") + "|" + row.get("writer") + "|" + row.get("rev")
                : row.get("id") + "|" + row.get("writer") + "|" + row.get("item") + "|" + row.get("qty");
    }

    /** Missing, different and extra keys, empty when the collection equals the truth. */
    static String difference(TestDatabase central, Map<String, String> truth, String collection, Workload workload) {
        Map<String, String> arrived = arrived(central, collection, workload);
        long missing = truth.keySet().stream().filter(k -> !arrived.containsKey(k)).count();
        long different = truth.entrySet().stream().filter(e -> arrived.containsKey(e.getKey())
                && !arrived.get(e.getKey()).equals(e.getValue())).count();
        long extra = arrived.keySet().stream().filter(k -> !truth.containsKey(k)).count();
        if (missing + different + extra == 0) {
            return "";
        }
        return "(" + truth.size() + " rows committed: " + missing + " missing, e.g. "
                + truth.keySet().stream().filter(k -> !arrived.containsKey(k)).limit(10).toList()
                + "; " + different + " different; " + extra + " extra)";
    }

    static void record(String scenario, Dialect dialect, int rounds, int rows, ConcurrentWriters writers) throws IOException {
        String line = "| " + scenario + " | " + dialect + " | " + rounds + " | " + writers.committedTransactions() + " | " + rows
                + " | 0 | 0 |" + (FaultHarness.SOAK ? " soak" : " CI");
        Files.writeString(Path.of("target", "fault-results.md"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("FAULT RESULT " + line);
    }
}
