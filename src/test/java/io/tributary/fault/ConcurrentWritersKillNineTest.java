package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.fault.ConcurrentWriters.Workload;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The concurrent writers of {@link ConcurrentWritersContract} on PostgreSQL, while the Tributary
 * process (central endpoint and source in one JVM) is killed with SIGKILL at random moments and
 * restarted, round after round, in each capture mode. Every committed row must end up in the central
 * collection exactly once with its last content. {@code -Dtributary.test.seed=N} replays the kill times
 * and the writers' choices.
 */
@Tag("fault")
class ConcurrentWritersKillNineTest {

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private static final int ROUNDS = FaultHarness.SOAK ? 60 : 6;

    @ParameterizedTest
    @EnumSource(Workload.class)
    void everyCommittedRowArrivesOnceDespiteKills(Workload workload) throws Exception {
        System.out.println("CONCURRENT WRITERS + KILL -9 " + workload);
        Random random = seed.random();
        String sourceId = switch (workload) {
            case CHANGE_TABLE -> "k9chg";
            case APPEND -> "k9inc";
            case UPSERT -> "k9ts";
        };
        Path dir = Files.createDirectories(Path.of("target", "fault", sourceId).toAbsolutePath());
        try (TestDatabase source = TestDatabase.create(Dialect.POSTGRESQL, sourceId);
             TestDatabase central = TestDatabase.create(Dialect.POSTGRESQL, sourceId + "_central")) {
            ConcurrentWriters writers = new ConcurrentWriters(source, workload, seed.value(), ConcurrentWritersContract.HOLD_MS);
            writers.createTables();
            int port = TributaryApp.freePort();
            Map<String, String> s = SourceApp.source(sourceId, switch (workload) {
                case CHANGE_TABLE -> "changes";
                case APPEND -> "events";
                case UPSERT -> "items";
            }, "http://127.0.0.1:" + port);
            s.put("collection", sourceId);
            s.put("mode", switch (workload) {
                case CHANGE_TABLE -> "change-table";
                case APPEND -> "incrementing";
                case UPSERT -> "timestamp";
            });
            if (workload == Workload.UPSERT) {
                s.put("timestampColumn", "changed_at");
                s.put("safetyLagMs", "300");
            }
            s.put("batchSize", "20");
            s.put("maxChanges", "200");
            Path file = SourceApp.writeSourceFile(dir, s);
            TributaryProcess.Builder process = TributaryProcess.builder(sourceId).logDir(dir)
                    .routes("file:routes/central-import.camel.yaml", SourceApp.TEMPLATE, "file:" + file)
                    .property("camel.server.port", String.valueOf(port))
                    .properties(central.beanProperties("centralDb"))
                    .properties(source.beanProperties("sourceDb"));
            writers.start(ConcurrentWritersContract.WRITERS);
            for (int round = 1; round <= ROUNDS; round++) {
                TributaryProcess p = process.start();
                p.awaitStarted(Duration.ofMinutes(1));
                Thread.sleep(500 + random.nextInt(2000)); // the kill's random moment, not a synchronisation
                p.kill();
            }
            writers.stop();
            Map<String, String> truth = ConcurrentWritersContract.truth(source, workload);
            try (TributaryProcess last = process.start()) {
                last.awaitStarted(Duration.ofMinutes(1));
                Await.until("every committed row in the central collection", Duration.ofMinutes(2),
                        () -> ConcurrentWritersContract.difference(central, truth, sourceId, workload).isEmpty(),
                        () -> ConcurrentWritersContract.difference(central, truth, sourceId, workload));
            }
            assertThat(ConcurrentWritersContract.arrived(central, sourceId, workload)).as("central documents against the committed rows").isEqualTo(truth);
            ConcurrentWritersContract.record(ConcurrentWritersContract.WRITERS + " concurrent writers and kill -9 of the"
                            + " Tributary process at random moments, " + workload.name().toLowerCase().replace('_', '-') + " workload",
                    Dialect.POSTGRESQL, ROUNDS, truth.size(), writers);
        }
    }
}
