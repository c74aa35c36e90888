package io.tributary.fault;

import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryProcess;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL of the Tributary process (central endpoint and source route in one JVM, the default
 * deployment) at random moments while a writer keeps adding changes; then a restart, round after
 * round. Some kills land during start-up, most in the middle of a batch: between the POST and the
 * central commit, or between the central commit and the source's delete of the change rows.
 */
@Tag("fault")
class KillNineDuringSyncTest {

    private static final int ROUNDS = FaultHarness.SOAK ? 120 : 20;

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    @Test
    void centralEqualsSourceAfterRepeatedKills() throws Exception {
        try (FaultHarness h = new FaultHarness("kill9")) {
            TributaryProcess first = h.startBoth();
            first.awaitStarted(Duration.ofMinutes(1));
            h.createCollection();
            h.startWriter(seed.value());
            first.kill();
            Random random = seed.random();
            for (int round = 1; round <= ROUNDS; round++) {
                TributaryProcess p = h.startBoth();
                if (random.nextInt(4) == 0) {
                    Thread.sleep(random.nextLong(200, 2500)); // the kill's random moment: in JVM or Camel start-up, or just after
                } else {
                    p.awaitStarted(Duration.ofMinutes(1));
                    Thread.sleep(random.nextLong(0, 1500)); // the kill's random moment, not a synchronisation
                }
                p.kill();
            }
            h.stopWriter();
            try (TributaryProcess last = h.startBoth()) {
                last.awaitStarted(Duration.ofMinutes(1));
                h.awaitDrained(Duration.ofMinutes(2));
                h.verify("kill -9 of the Tributary process (central + source) at random moments, writer running", ROUNDS);
            }
        }
    }
}
