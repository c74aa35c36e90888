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
import io.tributary.testing.TributaryProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tributary runs in Asia/Tokyo (UTC+9) while the writers and the database servers run in UTC, the
 * situation where a safety lag measured in the JVM's zone reads nine hours into the future and skips
 * every row that commits late. Timestamp mode with a 3 s lag and writers holding their transactions
 * up to 1.5 s: every committed row must arrive with its last content.
 *
 * <p>PostgreSQL and MariaDB use the default {@code timestampZone} (the server's zone). H2 has no server
 * zone of its own: each session brings its JVM's, so the source names the writers' zone explicitly.
 * Each subclass puts the source table on its database.
 */
@Tag("fault")
abstract class TimestampZoneContract {

    @TempDir
    Path dir;
    @RegisterExtension
    final TestSeed seed = new TestSeed();

    abstract Dialect dialect();

    @Test
    void aJvmInAnotherZoneThanTheWritersMissesNothing() throws Exception {
        Dialect dialect = dialect();
        try (TestDatabase source = TestDatabase.create(dialect, "zone_src");
             TestDatabase central = TestDatabase.create(Dialect.H2, "zone_central")) {
            ConcurrentWriters writers = new ConcurrentWriters(source, Workload.UPSERT, seed.value(), ConcurrentWritersContract.HOLD_MS);
            writers.createTables();
            source.execute("SELECT COUNT(*) FROM items"); // on H2 the test JVM opens the file first and serves it to Tributary
            int port = TributaryApp.freePort();
            Map<String, String> s = SourceApp.source("zone", "items", "http://127.0.0.1:" + port);
            s.put("mode", "timestamp");
            s.put("timestampColumn", "changed_at");
            s.put("safetyLagMs", "3000");
            s.put("collection", "zone");
            if (dialect == Dialect.H2) {
                s.put("timestampZone", "UTC");
            }
            Path file = SourceApp.writeSourceFile(dir, s);
            Map<String, String> truth = new TreeMap<>();
            try (TributaryProcess tributary = TributaryProcess.builder("tributary-tokyo").logDir(dir)
                    .routes("file:routes/central-import.camel.yaml", SourceApp.TEMPLATE, "file:" + file)
                    .property("user.timezone", "Asia/Tokyo")
                    .property("camel.server.port", String.valueOf(port))
                    .properties(central.beanProperties("centralDb"))
                    .properties(source.beanProperties("sourceDb"))
                    .start()) {
                tributary.awaitStarted(Duration.ofMinutes(1));
                writers.start(4);
                Thread.sleep(ConcurrentWritersContract.WRITING.toMillis()); // the workload's duration, not a synchronisation
                writers.stop();
                for (Map<String, Object> row : source.query("SELECT id, writer, rev FROM items")) {
                    truth.put("zone-" + row.get("id"), row.get("writer") + "|" + row.get("rev"));
                }
                Await.until("every row's last version in the central collection", Duration.ofSeconds(60),
                        () -> arrived(central).equals(truth), () -> differences(truth, arrived(central)) + "; log: " + tributary.log());
                assertThat(tributary.logText()).contains("timestamps in");
            }
            assertThat(arrived(central)).as("central documents against the source rows").isEqualTo(truth);
        }
    }

    /** What the central collection lacks or holds in another version than the source, a few of each. */
    private static String differences(Map<String, String> truth, Map<String, String> arrived) {
        List<String> missing = truth.keySet().stream().filter(k -> !arrived.containsKey(k)).toList();
        List<String> stale = truth.keySet().stream().filter(k -> arrived.containsKey(k) && !truth.get(k).equals(arrived.get(k)))
                .map(k -> k + " " + arrived.get(k) + " instead of " + truth.get(k)).toList();
        return truth.size() + " source rows, " + arrived.size() + " documents; missing " + missing.size() + " "
                + missing.subList(0, Math.min(5, missing.size())) + ", stale " + stale.size() + " "
                + stale.subList(0, Math.min(5, stale.size()));
    }

    private static Map<String, String> arrived(TestDatabase central) {
        Map<String, String> docs = new TreeMap<>();
        try {
            for (Map<String, Object> d : CentralCollection.documents(central, "zone")) {
                docs.put((String) d.get("_key"), d.get("writer") + "|" + d.get("rev"));
            }
        } catch (IllegalStateException noCollectionYet) {
            // not created before the first batch
        }
        return docs;
    }
}
