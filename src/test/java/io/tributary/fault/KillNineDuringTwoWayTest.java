package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL of a Tributary node (separate JVM; central store on PostgreSQL, routes central-import, jobs and
 * two-way) while a two-way run of a PostgreSQL table ⇄ a MariaDB table goes on, at a seeded random moment;
 * then a restart. Before each round both sides receive {@link #ROWS} new versions (1 % of the keys written on
 * both sides, many keys rewritten from earlier rounds). After each kill: the pair's stored end
 * ({@code tributary_two_way.end_micros}) moved only if both directions completed (then both sides agree on
 * every row up to it), and only to the end of the killed job; a job that is "interrupted" after the restart
 * left it where it was. Finally one complete run: both sides hold exactly the same rows, each key its newest
 * version, and the stored end moved. {@code -Dtributary.soak=true} runs many more rounds.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillNineDuringTwoWayTest {

    private static final int ROUNDS = FaultHarness.SOAK ? 20 : 3;
    /** Versions written per side and round: a whole run of them takes one to a few seconds. */
    private static final int ROWS = FaultHarness.SOAK ? 20_000 : 10_000;
    private static final long LAG_MS = 100;
    private static final String PASSWORD = "pw-kill9-two-way";
    private static final String PAIR = "kill9";
    private static final String JOB = "{\"pair\": \"" + PAIR + "\", \"a\": {\"dataSource\": \"pgDb\"}, \"b\": {\"dataSource\": \"mariaDb\"},"
            + " \"tables\": [\"items\"], \"keyColumn\": \"id\", \"timestampColumn\": \"changed_at\", \"safetyLagMs\": " + LAG_MS + "}";
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    /** One version of a row: its timestamp and the row as text (what both sides must agree on). */
    private record Version(LocalDateTime at, String row) {
    }

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private TestDatabase central;
    private TestDatabase pg;
    private TestDatabase maria;
    private Path dir;
    private final int port = TributaryApp.freePort();
    private TributaryProcess node;
    private final NodeJobs jobs = new NodeJobs(port, PASSWORD);
    /** The newest version of each key, from what the test wrote on either side. */
    private final Map<Long, Version> expected = new TreeMap<>();
    private LocalDateTime lastWritten = EPOCH;

    @BeforeAll
    void databases() throws IOException {
        central = TestDatabase.create(Dialect.POSTGRESQL, "kill9_two_way_central");
        pg = TestDatabase.create(Dialect.POSTGRESQL, "kill9_two_way_pg");
        maria = TestDatabase.create(Dialect.MARIADB, "kill9_two_way_maria");
        for (TestDatabase db : List.of(pg, maria)) {
            db.execute("CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, changed_at " + db.dialect().timestampType()
                            + " NOT NULL, name VARCHAR(100), qty INT)",
                    "CREATE INDEX items_changed ON items (changed_at)");
        }
        dir = Files.createDirectories(Path.of("target", "fault", "kill9-two-way").toAbsolutePath());
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @AfterAll
    void stop() {
        pg.close();
        maria.close();
        central.close();
    }

    private TributaryProcess start() {
        TributaryProcess p = TributaryProcess.builder("two-way-node").logDir(dir)
                .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml", "file:routes/two-way.camel.yaml")
                .property("camel.server.port", String.valueOf(port))
                .properties(central.beanProperties("centralDb"))
                .properties(pg.beanProperties("pgDb"))
                .properties(maria.beanProperties("mariaDb"))
                .property("tributary.central.username", "root").property("tributary.central.password", PASSWORD)
                .property("tributary.two-way.sql-tables.pgDb.tables", "items")
                .property("tributary.two-way.sql-tables.mariaDb.tables", "items")
                .start();
        p.awaitStarted(Duration.ofMinutes(1));
        node = p;
        return p;
    }

    /**
     * Writes {@link #ROWS} versions into each side as an application would (plain upserts, later than anything
     * written before): PostgreSQL the keys {@code offset+1 ..}, MariaDB as many keys of which the first 1 %
     * are PostgreSQL's last ones. Timestamps are distinct across sides (PostgreSQL even, MariaDB odd
     * microseconds), so each key has one newest version.
     */
    private void write(int round, Random random) {
        LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.MILLIS);
        LocalDateTime base = now.isAfter(lastWritten) ? now : lastWritten.plusNanos(1000);
        long pgOffset = random.nextLong(0, 3L * ROWS);
        long mariaOffset = pgOffset + ROWS - ROWS / 100;
        int qtyShift = random.nextInt(1000);
        pg.update("INSERT INTO items (id, changed_at, name, qty) SELECT ? + g, CAST(? AS TIMESTAMP) + (2 * g) * INTERVAL '1 microsecond',"
                + " 'pg' || ? || '-' || g, (g * 7 + ?) % 1000 FROM generate_series(1, " + ROWS + ") g ON CONFLICT (id) DO UPDATE SET"
                + " changed_at = EXCLUDED.changed_at, name = EXCLUDED.name, qty = EXCLUDED.qty", pgOffset, base, round, qtyShift);
        maria.update("INSERT INTO items (id, changed_at, name, qty) SELECT ? + seq, TIMESTAMPADD(MICROSECOND, 2 * seq + 1, ?),"
                + " CONCAT('maria', ?, '-', seq), (seq * 7 + ?) % 1000 FROM seq_1_to_" + ROWS + " ON DUPLICATE KEY UPDATE"
                + " changed_at = VALUES(changed_at), name = VALUES(name), qty = VALUES(qty)", mariaOffset, base, round, qtyShift);
        for (int g = 1; g <= ROWS; g++) {
            LocalDateTime pgAt = base.plusNanos(2000L * g);
            LocalDateTime mariaAt = base.plusNanos(2000L * g + 1000);
            newest(pgOffset + g, new Version(pgAt, pgAt + "|pg" + round + "-" + g + "|" + (g * 7 + qtyShift) % 1000));
            newest(mariaOffset + g, new Version(mariaAt, mariaAt + "|maria" + round + "-" + g + "|" + (g * 7 + qtyShift) % 1000));
        }
        lastWritten = base.plusNanos(2000L * ROWS + 1000);
        // a run takes rows up to the databases' clock minus the lag: let this round's settle first
        Await.until("the written rows are older than the safety lag", Duration.ofSeconds(10),
                () -> LocalDateTime.now().minus(Duration.ofMillis(LAG_MS + 50)).isAfter(lastWritten));
    }

    private void newest(long key, Version v) {
        expected.merge(key, v, (old, now) -> now.at().isAfter(old.at()) ? now : old);
    }

    /** Each row of a side, up to a timestamp. */
    private static Map<Long, Version> rows(TestDatabase db, LocalDateTime upTo) {
        Map<Long, Version> rows = new TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT id, changed_at, name, qty FROM items WHERE changed_at <= ?", upTo)) {
            Object at = r.get("changed_at");
            LocalDateTime t = at instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : (LocalDateTime) at;
            rows.put(((Number) r.get("id")).longValue(), new Version(t, t + "|" + r.get("name") + "|" + r.get("qty")));
        }
        return rows;
    }

    /** The pair's stored end in microseconds, read from the central database directly (the node may be dead). */
    private Optional<Long> storedEnd() {
        return central.query("SELECT end_micros FROM tributary_two_way WHERE pair_name = ?", PAIR).stream()
                .map(r -> ((Number) r.get("end_micros")).longValue()).findFirst();
    }

    private static long micros(String localDateTime) {
        return ChronoUnit.MICROS.between(EPOCH, LocalDateTime.parse(localDateTime));
    }

    private static LocalDateTime time(long micros) {
        return EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    @Test
    void aKilledRunNeverAdvancesTheStoredEndAndTheNextRunConverges() throws Exception {
        Random random = seed.random();
        TributaryProcess p = start();
        write(0, random);
        // a whole run over the first versions bounds the kill's random moment, and gives the pair a stored end
        JsonNode first = jobs.runToEnd("/api/two-way/jobs", JOB);
        long took = first.path("durationMillis").asLong(); // a whole run over one round of writes
        int pending = 0; // rounds of writes that no completed run took yet
        System.out.println("KILL9 two-way run over " + ROWS + " + " + ROWS + " rows takes " + took + " ms");
        assertThat(storedEnd()).contains(micros(first.path("result").path("end").asText()));

        int killedRunning = 0;
        int completed = 0;
        int killedAfterStoring = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= ROUNDS; round++) {
            write(round, random);
            Optional<Long> before = storedEnd();
            pending++;
            String id = jobs.startRunning("/api/two-way/jobs", JOB);
            // the kill's random moment, not a synchronisation: in the first round within the run's expected
            // length, later ones up to a quarter past it, so that some runs complete before the kill
            long expectedMillis = took * pending;
            Thread.sleep(random.nextLong(0, Math.max(100, round == 1 ? expectedMillis * 3 / 4 : expectedMillis * 5 / 4)));
            p.kill();

            Optional<Long> after = storedEnd();
            if (!after.equals(before)) {
                // moved: only by a run whose both directions completed, so both sides agree on every row up to it
                LocalDateTime end = time(after.orElseThrow());
                assertThat(rows(maria, end)).as("MariaDB rows up to the stored end " + end + " after the kill").isEqualTo(rows(pg, end));
                assertThat(after.get()).as("the stored end after the kill").isGreaterThan(before.orElseThrow());
            }
            p = start();
            JsonNode job = jobs.status(id);
            String status = job.path("status").asText();
            if ("succeeded".equals(status)) {
                completed++;
                assertThat(after).as(job.toString()).contains(micros(job.path("result").path("end").asText()));
                took = job.path("durationMillis").asLong() / pending;
                pending = 0;
            } else {
                assertThat(status).as(job.toString()).isEqualTo("failed");
                assertThat(job.path("error").asText()).as(job.toString()).isEqualTo("interrupted");
                if (after.equals(before)) {
                    killedRunning++;
                } else {
                    // killed after the end was stored and before the job was recorded as succeeded: the end is
                    // still one of a completed run (checked above), the job only did not say so
                    killedAfterStoring++;
                }
            }
            System.out.println("KILL9 two-way round " + round + ": job " + status + " after the restart, stored end "
                    + (after.equals(before) ? "unchanged" : "moved to " + time(after.orElseThrow())));
        }

        JsonNode last = jobs.runToEnd("/api/two-way/jobs", JOB);
        LocalDateTime everything = LocalDateTime.now().plusDays(1);
        Map<Long, Version> a = rows(pg, everything);
        assertThat(rows(maria, everything)).as("both sides after the last run " + last).isEqualTo(a);
        assertThat(a).as("each key holds its newest version").isEqualTo(expected);
        assertThat(storedEnd()).contains(micros(last.path("result").path("end").asText()));
        assertThat(time(storedEnd().orElseThrow())).as("the stored end covers every version written").isAfter(lastWritten);
        System.out.println("KILL9 two-way: " + ROUNDS + " rounds in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + " ms; killed mid-run " + killedRunning + ", completed before the kill " + completed
                + ", killed between storing the end and recording the job " + killedAfterStoring + "; the last run took " + last.path("durationMillis").asLong() + " ms, "
                + expected.size() + " keys");
        assertThat(killedRunning).as("rounds killed while the run ran").isPositive();
    }
}
