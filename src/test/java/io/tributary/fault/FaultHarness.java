package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every fault scenario shares: a PostgreSQL source database with a change table that a writer
 * fills while Tributary runs, a PostgreSQL central database, Tributary in separate JVMs (so they can
 * be killed), and the final comparison of central against everything the writer ever committed.
 *
 * <p>The writer inserts each change into {@code changes} (which Tributary drains) and into
 * {@code ledger} in the same statement, so {@code ledger} is the truth to compare with.
 * {@code -Dtributary.soak=true} makes every scenario of the fault suite run many more rounds or longer.
 */
final class FaultHarness implements AutoCloseable {

    static final boolean SOAK = Boolean.getBoolean("tributary.soak");
    static final String COLLECTION = "fault";
    static final String SOURCE_ID = "fault";

    final TestDatabase source;
    final TestDatabase central;
    final Path dir;
    final int centralPort = TributaryApp.freePort();
    private final Path sourceYaml;
    private Writer writer;

    FaultHarness(String label) throws IOException {
        source = TestDatabase.create(Dialect.POSTGRESQL, label + "_src");
        central = TestDatabase.create(Dialect.POSTGRESQL, label + "_central");
        source.execute("CREATE TABLE changes (id BIGSERIAL PRIMARY KEY, item VARCHAR(40) NOT NULL, qty INT NOT NULL, payload TEXT NOT NULL)",
                "CREATE TABLE ledger (id BIGINT PRIMARY KEY, item VARCHAR(40) NOT NULL, qty INT NOT NULL, payload TEXT NOT NULL)");
        dir = Files.createDirectories(Path.of("target", "fault", label).toAbsolutePath());
        sourceYaml = dir.resolve("fault-source.camel.yaml");
        // Small batches and a fast poll, so that a kill lands in the middle of a batch most of the time.
        Files.writeString(sourceYaml, """
                - beans:
                    - name: faultSource
                      type: com.zaxxer.hikari.HikariDataSource
                      properties:
                        jdbcUrl: %s
                        username: postgres
                        maximumPoolSize: 2
                - templatedRoute:
                    routeTemplateRef: tributary-change-source
                    parameters:
                      - { name: sourceId, value: %s }
                      - { name: dataSource, value: faultSource }
                      - { name: table, value: changes }
                      - { name: keyColumn, value: id }
                      - { name: mode, value: change-table }
                      - { name: maxChanges, value: "500" }
                      - { name: batchSize, value: "50" }
                      - { name: poll, value: "timer:fault?period=200&delay=0" }
                      - { name: centralUrl, value: "http://127.0.0.1:%d" }
                      - { name: collection, value: %s }
                      - { name: maximumRedeliveries, value: "3" }
                      - { name: redeliveryDelay, value: "200" }
                      - { name: maximumRedeliveryDelay, value: "1000" }
                """.formatted(source.jdbcUrl(), SOURCE_ID, centralPort, COLLECTION));
    }

    /** The central endpoint alone, on {@link #centralPort}. */
    TributaryProcess startCentral() {
        return TributaryProcess.builder("central").logDir(dir)
                .routes("file:routes/central-import.camel.yaml")
                .property("camel.server.port", String.valueOf(centralPort))
                .properties(central.beanProperties("centralDb"))
                .start();
    }

    /** The source route alone, posting to {@link #centralPort}. */
    TributaryProcess startSource() {
        return TributaryProcess.builder("source").logDir(dir)
                .routes("file:routes/change-source-template.camel.yaml", "file:" + sourceYaml)
                .property("camel.server.port", String.valueOf(TributaryApp.freePort()))
                .start();
    }

    /** Central endpoint and source route in one process, the default deployment. */
    TributaryProcess startBoth() {
        return TributaryProcess.builder("tributary").logDir(dir)
                .routes("file:routes/central-import.camel.yaml", "file:routes/change-source-template.camel.yaml", "file:" + sourceYaml)
                .property("camel.server.port", String.valueOf(centralPort))
                .properties(central.beanProperties("centralDb"))
                .start();
    }

    void createCollection() {
        CentralCollection.create("http://127.0.0.1:" + centralPort, COLLECTION);
    }

    String centralTable() {
        return CentralCollection.table(central, COLLECTION);
    }

    /** Starts the writer; its batch sizes come from {@code seed}. */
    void startWriter(long seed) {
        writer = new Writer(source.jdbcUrl(), new Random(seed * 31));
        writer.start();
    }

    long stopWriter() throws InterruptedException {
        writer.running = false;
        writer.join();
        return writer.written.get();
    }

    /** Rows the writer committed (the ledger), possibly including rows whose commit it did not see acknowledged. */
    long ledgerRows() {
        return source.count("SELECT COUNT(*) FROM ledger");
    }

    /** Waits until central holds more documents than now, i.e. the source is delivering to it. */
    void awaitDelivery(Duration timeout) {
        long before = centralRows();
        Await.until("the source delivering to central", timeout, () -> centralRows() > before,
                () -> "(" + centralRows() + " documents in central)");
    }

    private long centralRows() {
        return central.count("SELECT COUNT(*) FROM " + central.dialect().quote(centralTable()));
    }

    void awaitDrained(Duration timeout) {
        Await.until("the change table to be drained", timeout, () -> source.count("SELECT COUNT(*) FROM changes") == 0,
                () -> "(" + source.count("SELECT COUNT(*) FROM changes") + " rows left)");
    }

    /**
     * Central against the ledger: same keys, same content, nothing extra, and the change table empty.
     * Appends the scenario's line to target/fault-results.md, the source of docs/reliability.md.
     */
    Result verify(String scenario, int rounds) throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (Map<String, Object> row : source.query("SELECT id, item, qty, payload FROM ledger")) {
            expected.put(SOURCE_ID + "-" + row.get("id"), row.get("id") + "|" + row.get("item") + "|" + row.get("qty") + "|" + row.get("payload"));
        }
        Map<String, String> actual = new TreeMap<>();
        Map<Object, Integer> idsSeen = new HashMap<>();
        List<Map<String, Object>> docs = CentralCollection.documents(central, COLLECTION);
        for (Map<String, Object> d : docs) {
            actual.put((String) d.get("_key"), d.get("id") + "|" + d.get("item") + "|" + d.get("qty") + "|" + d.get("payload"));
            idsSeen.merge(String.valueOf(d.get("id")), 1, Integer::sum);
        }
        long lost = expected.keySet().stream().filter(k -> !actual.containsKey(k)).count();
        long duplicated = actual.keySet().stream().filter(k -> !expected.containsKey(k)).count()
                + idsSeen.values().stream().mapToLong(n -> n - 1).sum();
        long changed = expected.entrySet().stream().filter(e -> actual.containsKey(e.getKey())
                && !actual.get(e.getKey()).equals(e.getValue())).count();
        Result result = new Result(scenario, rounds, expected.size(), lost, duplicated, changed,
                source.count("SELECT COUNT(*) FROM changes"));
        Files.writeString(Path.of("target", "fault-results.md"), result.line() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("FAULT RESULT " + result.line());
        assertThat(lost).as("documents lost").isZero();
        assertThat(duplicated).as("documents duplicated").isZero();
        assertThat(changed).as("documents whose content differs from the source").isZero();
        assertThat(checksum(expected)).as("content checksum").isEqualTo(checksum(actual));
        assertThat(result.changesLeft()).as("rows left in the change table").isZero();
        return result;
    }

    private static int checksum(Map<String, String> sorted) {
        return String.join("\n", sorted.values()).hashCode();
    }

    record Result(String scenario, int rounds, long rows, long lost, long duplicated, long changed, long changesLeft) {
        String line() {
            return "| " + scenario + " | " + rounds + " | " + rows + " | " + lost + " | " + duplicated + " |"
                    + (SOAK ? " soak" : " CI");
        }
    }

    @Override
    public void close() throws Exception {
        if (writer != null && writer.isAlive()) {
            stopWriter();
        }
        source.close();
        central.close();
    }

    /**
     * Commits 1–10 changes every 10 ms (about 500 rows/s) until stopped. A lost connection (the
     * source database restarted) is reopened; the ledger, written in the same statement, records
     * exactly what was committed whatever the writer saw.
     */
    static final class Writer extends Thread {
        private final String url;
        private final Random random;
        volatile boolean running = true;
        final AtomicLong written = new AtomicLong();

        Writer(String url, Random random) {
            super("fault-writer");
            this.url = url;
            this.random = random;
            setDaemon(true);
        }

        @Override
        public void run() {
            Connection c = null;
            while (running) {
                try {
                    if (c == null) {
                        c = DriverManager.getConnection(url, "postgres", "");
                    }
                    try (PreparedStatement ps = c.prepareStatement("WITH c AS (INSERT INTO changes (item, qty, payload)"
                            + " SELECT 'item-' || g, g, repeat(md5(random()::text), 3) FROM generate_series(1, ?) g"
                            + " RETURNING id, item, qty, payload) INSERT INTO ledger SELECT * FROM c")) {
                        ps.setInt(1, random.nextInt(1, 11));
                        written.addAndGet(ps.executeUpdate());
                    }
                    Thread.sleep(10); // the workload's pacing, not a synchronisation
                } catch (SQLException e) {
                    close(c);
                    c = null;
                    pause(100); // the pace of reconnecting, as a client would, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
            close(c);
        }

        private static void close(Connection c) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException ignored) {
                // already broken
            }
        }

        private static void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
