package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryProcess;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The central endpoint's process is stopped for a while, then started again, with central and
 * source in separate JVMs. Meanwhile the source keeps polling and retrying with backoff, deletes
 * nothing, and the backlog drains once the central node is back.
 */
@Tag("fault")
class CentralOutageTest {

    private static final int OUTAGES = FaultHarness.SOAK ? 10 : 2;
    private static final Duration OUTAGE = Duration.ofSeconds(FaultHarness.SOAK ? 20 : 6);

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    @Test
    void nothingIsDeletedWhileCentralIsDownAndTheBacklogDrains() throws Exception {
        try (FaultHarness h = new FaultHarness("outage")) {
            TributaryProcess central = h.startCentral();
            central.awaitStarted(Duration.ofMinutes(1));
            h.createCollection();
            try (TributaryProcess source = h.startSource()) {
                source.awaitStarted(Duration.ofMinutes(1));
                h.startWriter(seed.value());
                for (int i = 0; i < OUTAGES; i++) {
                    h.awaitDelivery(Duration.ofMinutes(1));
                    central.stop();
                    long lastBeforeStop = h.source.count("SELECT COALESCE(MAX(id), 0) FROM ledger");
                    long deadline = System.nanoTime() + OUTAGE.toNanos();
                    while (System.nanoTime() < deadline) {
                        assertThat(h.source.count("SELECT COUNT(*) FROM ledger l WHERE l.id > ? AND NOT EXISTS"
                                + " (SELECT 1 FROM changes c WHERE c.id = l.id)", lastBeforeStop))
                                .as("change rows written while central is down and already deleted").isZero();
                        Thread.sleep(500); // the outage lasts OUTAGE, checked twice a second: the fault's length, not a synchronisation
                    }
                    assertThat(source.logText()).as("the source reports the failed runs").contains("run failed (");
                    central = h.startCentral();
                    central.awaitStarted(Duration.ofMinutes(1));
                }
                h.awaitDelivery(Duration.ofMinutes(1));
                h.stopWriter();
                h.awaitDrained(Duration.ofMinutes(2));
                h.verify("central process stopped " + OUTAGE.toSeconds() + " s (x" + OUTAGES + "), writer running", OUTAGES);
            } finally {
                central.close();
            }
        }
    }
}
