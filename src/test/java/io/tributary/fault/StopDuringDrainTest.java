package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.Await;
import io.tributary.testing.TributaryProcess;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while the source drains a large backlog into the central endpoint of the same process
 * (the default deployment). The source routes stop before the endpoint they post to, so the page in
 * flight is acknowledged rather than retried against a closing server; the process exits within the
 * documented 10 s; the watermark is at the last acknowledged batch; a restart finishes the drain with
 * nothing lost and nothing duplicated.
 */
@Tag("fault")
class StopDuringDrainTest {

    private static final Duration STOP_BOUND = Duration.ofSeconds(10);

    @Test
    void sigtermDuringADrainStopsQuicklyWithAConsistentCheckpoint() throws Exception {
        try (FaultHarness h = new FaultHarness("stopdrain")) {
            h.source.execute("WITH c AS (INSERT INTO changes (item, qty, payload) SELECT 'item-' || g, g, md5(g::text)"
                    + " FROM generate_series(1, 200000) g RETURNING id, item, qty, payload) INSERT INTO ledger SELECT * FROM c");
            Duration stopped;
            String log;
            try (TributaryProcess p = h.startBoth()) {
                p.awaitStarted(Duration.ofMinutes(1));
                Await.until("the drain under way", Duration.ofMinutes(1),
                        () -> h.source.count("SELECT COUNT(*) FROM changes") < 195_000);
                long start = System.nanoTime();
                p.stop();
                stopped = Duration.ofNanos(System.nanoTime() - start);
                log = p.logText();
            }
            long left = h.source.count("SELECT COUNT(*) FROM changes");
            System.out.println("STOP DURING DRAIN: stopped in " + stopped.toMillis() + " ms with " + left + " rows left");
            assertThat(stopped).as("time from SIGTERM to exit").isLessThanOrEqualTo(STOP_BOUND);
            assertThat(left).as("the stop came before the end of the drain").isPositive();
            String afterSigterm = log.substring(Math.max(0, log.indexOf("Received SIGTERM")));
            assertThat(afterSigterm).as("log after SIGTERM: the endpoint served the page in flight, nothing was retried")
                    .contains("Received SIGTERM: stopping").doesNotContain("run failed (").doesNotContain("503");
            // the watermark is the last acknowledged batch: every row up to it is deleted, none after it is
            long watermark = h.source.count("SELECT CAST(last_key AS BIGINT) FROM tributary_status WHERE source_id = ?",
                    FaultHarness.SOURCE_ID);
            assertThat(h.source.count("SELECT COUNT(*) FROM changes WHERE id <= ?", watermark))
                    .as("change rows at or below the watermark").isZero();
            assertThat(h.source.count("SELECT MIN(id) FROM changes")).as("first row left").isEqualTo(watermark + 1);

            try (TributaryProcess p = h.startBoth()) {
                p.awaitStarted(Duration.ofMinutes(1));
                h.awaitDrained(Duration.ofMinutes(3));
            }
            h.verify("SIGTERM during a 200,000-row drain (stopped in " + stopped.toMillis() + " ms), then restarted", 1);
        }
    }
}
