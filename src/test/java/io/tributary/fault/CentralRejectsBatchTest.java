package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.Await;
import io.tributary.testing.TributaryProcess;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The central database refuses a batch: a trigger raises for one "poison" document, with the
 * SQLSTATE of a full disk, a check constraint or a deadlock. The batch is all-or-nothing
 * (complete=true), so the source deletes nothing from it, keeps retrying, and every later change
 * waits behind it. The error is in the central log, the source log shows the failed POSTs, and the
 * source's status row stops advancing. An operator removes the cause (here: drops the trigger) and
 * the backlog drains with nothing lost. See docs/reliability.md.
 */
@Tag("fault")
class CentralRejectsBatchTest {

    private static final String[][] FAILURES = {
            {"53100", "simulated disk full"},
            {"23514", "simulated check constraint"},
            {"40P01", "simulated deadlock"},
    };

    @Test
    void aRejectedBatchLosesNothingAndDrainsOnceTheCauseIsRemoved() throws Exception {
        try (FaultHarness h = new FaultHarness("reject")) {
            try (TributaryProcess p = h.startBoth()) {
                p.awaitStarted(Duration.ofMinutes(1));
                h.createCollection();
                String table = h.centralTable();
                for (String[] failure : FAILURES) {
                    h.central.execute("CREATE OR REPLACE FUNCTION reject_poison() RETURNS trigger LANGUAGE plpgsql AS $$"
                                    + " BEGIN IF NEW.doc->>'item' = 'poison' THEN RAISE EXCEPTION '" + failure[1]
                                    + " while writing %', NEW._key USING ERRCODE = '" + failure[0] + "'; END IF; RETURN NEW; END $$",
                            "CREATE TRIGGER reject_poison BEFORE INSERT OR UPDATE ON \"" + table
                                    + "\" FOR EACH ROW EXECUTE FUNCTION reject_poison()");
                    write(h, 120, "item");
                    write(h, 1, "poison");
                    long poison = h.source.count("SELECT MAX(id) FROM ledger");
                    write(h, 120, "item");

                    Await.until("the central error in the central log", Duration.ofSeconds(60),
                            () -> p.logText().contains(failure[1]));
                    int firstError = p.logText().indexOf(failure[1]);
                    Await.until("a failed run (its batch tried 3 times) after the central error", Duration.ofSeconds(60),
                            () -> failedRuns(p.logText().substring(firstError)) >= 1);
                    assertThat(h.source.count("SELECT COUNT(*) FROM ledger l WHERE l.id >= ? AND NOT EXISTS"
                            + " (SELECT 1 FROM changes c WHERE c.id = l.id)", poison))
                            .as("rows of the rejected batch and after it that were deleted").isZero();
                    assertThat(h.central.count("SELECT COUNT(*) FROM \"" + table + "\" WHERE \"_key\" = ?", FaultHarness.SOURCE_ID + "-" + poison))
                            .as("the rejected document in central").isZero();
                    assertThat(h.source.count("SELECT COUNT(*) FROM tributary_status WHERE source_id = ? AND CAST(last_key AS BIGINT) >= ?",
                            FaultHarness.SOURCE_ID, poison)).as("status watermark stays before the rejected batch").isZero();
                    assertThat(p.logText()).as("the source logs the failed runs").contains("run failed (");

                    h.central.execute("DROP TRIGGER reject_poison ON \"" + table + "\""); // the operator fixes the cause
                    h.awaitDrained(Duration.ofMinutes(1));
                }
                h.verify("central rejects a batch (disk full, check constraint, deadlock), then the cause is removed",
                        FAILURES.length);
            }
        }
    }

    /** A failed run's one WARN line (its batch's attempts are DEBUG). */
    private static long failedRuns(String log) {
        return log.lines().filter(line -> line.contains("WARN") && line.contains("run failed (")).count();
    }

    private static void write(FaultHarness h, int rows, String item) {
        h.source.execute("WITH c AS (INSERT INTO changes (item, qty, payload) SELECT '" + item + "', g, md5(g::text)"
                + " FROM generate_series(1, " + rows + ") g RETURNING id, item, qty, payload) INSERT INTO ledger SELECT * FROM c");
    }
}
