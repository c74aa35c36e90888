package io.tributary.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import io.tributary.offline.BackupManifest;
import io.tributary.offline.PartitionCompression;
import io.tributary.sql.Dialect;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 * SIGKILL of a Tributary node (separate JVM; central store, jobs and offline routes) while a backup or a
 * restore job runs, at a seeded random moment; then a restart. A backup directory {@code <name>} is
 * complete whenever it exists (manifest readable, every file's SHA-256 and row count as listed); the job
 * is failed "interrupted" after the restart; the next backup of the name completes. A restore target's
 * partitions are each entirely old or entirely new after the kill; a re-run makes the target equal the
 * backup. {@code -Dtributary.soak=true} runs many more rounds.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillNineDuringBackupAndRestoreTest {

    private static final int ROUNDS = FaultHarness.SOAK ? 30 : 4;
    private static final int ROWS = 30_000;
    private static final int GROUPS = 4;
    private static final String PASSWORD = "pw-kill9";
    /** The backed-up selection: a row filter and a column list, partitioned by value of grp. */
    private static final String SELECTION = "id % 10 <> 0";
    private static final String COLLECTION = "readings";

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private TestDatabase central;
    private TestDatabase shop;
    private Path dir;
    private Path backups;
    private final int port = TributaryApp.freePort();
    private TributaryProcess node;
    private final NodeJobs jobs = new NodeJobs(port, PASSWORD);

    @BeforeAll
    void databases() throws IOException {
        central = TestDatabase.create(Dialect.POSTGRESQL, "kill9_offline_central");
        shop = TestDatabase.create(Dialect.POSTGRESQL, "kill9_offline_shop");
        for (String table : List.of("readings", "readings_old")) {
            shop.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, grp INT NOT NULL, note VARCHAR(20), payload TEXT NOT NULL)");
        }
        // the restore target has exactly the backed-up columns: a forced restore of fewer columns is refused
        shop.execute("CREATE TABLE readings_copy (id BIGINT PRIMARY KEY, grp INT NOT NULL, payload TEXT NOT NULL)");
        // wide rows, so a backup or a restore runs for about a second or more
        shop.execute("INSERT INTO readings SELECT g, g % " + GROUPS + ", 'n' || g, repeat(md5(g::text), 4) FROM generate_series(1, "
                + ROWS + ") g");
        // other rows in the same partitions: what a restore target holds before the restore
        shop.execute("INSERT INTO readings_old SELECT g, g % " + GROUPS + ", 'o' || g, repeat(md5('old' || g), 4)"
                + " FROM generate_series(1, " + ROWS + ", 3) g");
        dir = Files.createDirectories(Path.of("target", "fault", "kill9-offline").toAbsolutePath());
        backups = Files.createTempDirectory(dir, "backups-"); // a fresh one per run: names are reused across runs
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @AfterAll
    void stop() {
        shop.close();
        central.close();
    }

    private TributaryProcess start() {
        TributaryProcess p = TributaryProcess.builder("offline-node").logDir(dir)
                .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml", "file:routes/offline.camel.yaml")
                .property("camel.server.port", String.valueOf(port))
                .properties(central.beanProperties("centralDb"))
                .properties(shop.beanProperties("shopDb"))
                .property("tributary.central.username", "root").property("tributary.central.password", PASSWORD)
                .property("tributary.backup.directory", backups.toString())
                .property("tributary.sync.sql-sources.shopDb.tables", "readings,readings_old")
                .property("tributary.restore.sql-targets.shopDb.tables", "readings_copy")
                .start();
        p.awaitStarted(Duration.ofMinutes(1));
        node = p;
        return p;
    }

    private static String backupBody(String table, String name) {
        return backupBody(table, name, SELECTION);
    }

    /**
     * The restore rounds' backups select whole partitions (no row filter): a forced restore of a filtered
     * backup into a collection is refused, since documents cannot answer a SQL filter.
     */
    private static String backupBody(String table, String name, String where) {
        return "{\"source\":{\"dataSource\":\"shopDb\",\"table\":\"" + table + "\",\"keyColumn\":\"id\"},\"name\":\"" + name
                + "\"," + (where == null ? "" : "\"filter\":{\"where\":\"" + where + "\"},")
                + "\"columns\":[\"id\",\"grp\",\"payload\"],\"partitionBy\":{\"by\":\"value\",\"column\":\"grp\"}}";
    }

    private static String restoreBody(String name, String target) {
        return "{\"name\":\"" + name + "\",\"target\":" + target + ",\"force\":true}";
    }

    private static final String TABLE_TARGET = "{\"dataSource\":\"shopDb\",\"table\":\"readings_copy\"}";
    private static final String COLLECTION_TARGET = "{\"collection\":\"" + COLLECTION + "\"}";

    @Test
    void aKilledBackupLeavesNoHalfBackupAndItsReRunCompletes() throws Exception {
        Random random = seed.random();
        TributaryProcess p = start();
        // the duration of a whole backup of the selection bounds the kill's random moment
        long took = jobs.runToEnd("/api/backups", backupBody("readings", "measure")).path("durationMillis").asLong();
        System.out.println("KILL9 backup of " + ROWS + " rows (selection " + SELECTION + ") takes " + took + " ms");
        Map<Object, long[]> source = sourceDigests(SELECTION);
        assertThat(backupDigests(backups.resolve("measure"))).isEqualTo(digestsAsText(source));
        int killedRunning = 0;
        int partialsLeft = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "kill-" + round;
            String id = jobs.startRunning("/api/backups", backupBody("readings", name));
            boolean running = "running".equals(jobs.status(id).path("status").asText());
            Thread.sleep(random.nextLong(0, Math.max(100, took * 3 / 4))); // the kill's random moment, not a synchronisation
            p.kill();

            Path complete = backups.resolve(name);
            boolean partial = Files.exists(backups.resolve("." + name + ".partial"));
            partialsLeft += partial ? 1 : 0;
            if (Files.exists(complete)) {
                assertThat(backupDigests(complete)).as("a backup directory that exists after the kill").isEqualTo(digestsAsText(source));
            }
            p = start();
            JsonNode job = jobs.status(id);
            if (!Files.exists(complete)) {
                killedRunning++;
                assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
                assertThat(job.path("error").asText()).as(job.toString()).isEqualTo("interrupted");
                took = jobs.runToEnd("/api/backups", backupBody("readings", name)).path("durationMillis").asLong();
            } else {
                assertThat(running || "succeeded".equals(job.path("status").asText())).as(job.toString()).isTrue();
                // the kill came after the end: aim earlier next time (the machine is slower or faster than measured)
                took = Math.min(took, job.path("durationMillis").asLong(took)) / 2;
            }
            assertThat(Files.exists(backups.resolve("." + name + ".partial"))).as("the partial directory after the re-run").isFalse();
            assertThat(backupDigests(complete)).as("the re-run's backup against the source selection").isEqualTo(digestsAsText(source));
            System.out.println("KILL9 backup round " + round + ": job " + job.path("status").asText() + " after the restart,"
                    + " partial directory left: " + partial);
        }
        System.out.println("KILL9 backup: " + ROUNDS + " rounds in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + " ms; killed mid-run " + killedRunning + ", partial directories left " + partialsLeft);
        assertThat(killedRunning).as("rounds killed while the backup ran").isPositive();
    }

    @Test
    void aKilledRestoreLeavesEachPartitionOldOrNewAndItsReRunCompletes() throws Exception {
        Random random = seed.random();
        TributaryProcess p = start();
        if (!Files.exists(backups.resolve("base"))) {
            jobs.runToEnd("/api/backups", backupBody("readings", "base", null));
        }
        if (!Files.exists(backups.resolve("old"))) {
            jobs.runToEnd("/api/backups", backupBody("readings_old", "old", null));
        }
        Map<Object, String> fresh = digestsAsText(sourceDigests("TRUE"));
        Map<String, Long> took = new TreeMap<>(); // the last whole restore of base, by target
        int killedRunning = 0;
        long started = System.nanoTime();
        for (int round = 1; round <= ROUNDS; round++) {
            boolean intoCollection = round % 3 == 2; // at least one round in short mode
            String target = intoCollection ? COLLECTION_TARGET : TABLE_TARGET;
            // the target holds other rows in every partition
            long reset = jobs.runToEnd("/api/restores", restoreBody("old", target)).path("durationMillis").asLong();
            // until measured: "old" has a third of the rows of "base", so base takes about three times as long
            took.putIfAbsent(target, 3 * reset);
            Map<Object, String> old = intoCollection ? collectionDigests() : tableDigests();
            assertThat(old.keySet()).isEqualTo(fresh.keySet());
            old.forEach((grp, d) -> assertThat(d).as("old partition " + grp).isNotEqualTo(fresh.get(grp)));

            String id = jobs.startRunning("/api/restores", restoreBody("base", target));
            Thread.sleep(random.nextLong(0, Math.max(100, took.get(target) * 3 / 4))); // the kill's random moment, not a synchronisation
            p.kill();

            Map<Object, String> after = intoCollection ? collectionDigests() : tableDigests();
            int asNew = 0;
            for (Object grp : fresh.keySet()) {
                String d = after.getOrDefault(grp, digest(new long[2]));
                assertThat(d).as("partition grp=" + grp + " of " + target + " after the kill: entirely old or entirely new")
                        .isIn(old.get(grp), fresh.get(grp));
                asNew += d.equals(fresh.get(grp)) ? 1 : 0;
            }
            p = start();
            JsonNode job = jobs.status(id);
            if ("succeeded".equals(job.path("status").asText())) {
                took.put(target, Math.min(took.get(target), job.path("durationMillis").asLong()) / 2); // aim earlier next time
            } else {
                killedRunning++;
                assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
                assertThat(job.path("error").asText()).as(job.toString()).isEqualTo("interrupted");
            }
            long whole = jobs.runToEnd("/api/restores", restoreBody("base", target)).path("durationMillis").asLong();
            if (!"succeeded".equals(job.path("status").asText())) {
                took.merge(target, whole, Math::min); // a whole restore here; after a finished one, the re-run changes nothing
            }
            assertThat(intoCollection ? collectionDigests() : tableDigests()).as("the target after the re-run").isEqualTo(fresh);
            System.out.println("KILL9 restore round " + round + " into " + target + ": " + asNew + " of " + fresh.size()
                    + " partitions new at the kill, job " + job.path("status").asText());
        }
        System.out.println("KILL9 restore: " + ROUNDS + " rounds in " + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + " ms (a whole restore of base takes " + took + " ms); killed mid-run " + killedRunning);
        assertThat(killedRunning).as("rounds killed while the restore ran").isPositive();
    }

    // ---- count and checksum per partition (grp value), in any order --------------------------------

    private static String row(Object id, Object grp, Object payload) {
        return id + "|" + grp + "|" + payload;
    }

    private static void add(Map<Object, long[]> digests, Object grp, String row) {
        long[] d = digests.computeIfAbsent(String.valueOf(grp), g -> new long[2]);
        d[0]++;
        d[1] += new BigInteger(1, sha256().digest(row.getBytes(StandardCharsets.UTF_8)), 0, 8).longValue();
    }

    private static String digest(long[] d) {
        return d[0] + " rows, sum " + Long.toHexString(d[1]);
    }

    private static Map<Object, String> digestsAsText(Map<Object, long[]> digests) {
        Map<Object, String> text = new TreeMap<>();
        digests.forEach((k, v) -> text.put(k, digest(v)));
        return text;
    }

    private Map<Object, long[]> sourceDigests(String where) {
        Map<Object, long[]> d = new TreeMap<>();
        for (Map<String, Object> r : shop.query("SELECT id, grp, payload FROM readings WHERE " + where)) {
            add(d, r.get("grp"), row(r.get("id"), r.get("grp"), r.get("payload")));
        }
        return d;
    }

    private Map<Object, String> tableDigests() {
        Map<Object, long[]> d = new TreeMap<>();
        for (Map<String, Object> r : shop.query("SELECT id, grp, payload FROM readings_copy")) {
            add(d, r.get("grp"), row(r.get("id"), r.get("grp"), r.get("payload")));
        }
        return digestsAsText(d);
    }

    private Map<Object, String> collectionDigests() {
        Map<Object, long[]> d = new TreeMap<>();
        for (Map<String, Object> doc : CentralCollection.documents(central, COLLECTION)) {
            add(d, doc.get("grp"), row(doc.get("id"), doc.get("grp"), doc.get("payload")));
        }
        return digestsAsText(d);
    }

    /**
     * A complete backup's content per partition: its manifest reads, and every file has the manifest's
     * byte size, SHA-256 and row count; fails otherwise.
     */
    private static Map<Object, String> backupDigests(Path backup) throws IOException {
        BackupManifest manifest = BackupManifest.read(backup);
        Map<Object, long[]> d = new TreeMap<>();
        for (BackupManifest.Partition p : manifest.partitions()) {
            Path file = backup.resolve(p.file());
            assertThat(Files.size(file)).as(file + " bytes").isEqualTo(p.bytes());
            MessageDigest sha = sha256();
            long rows = 0;
            try (InputStream raw = new DigestInputStream(Files.newInputStream(file), sha);
                 BufferedReader in = new BufferedReader(new InputStreamReader(PartitionCompression.decompress(file, raw), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode r = Json.MAPPER.readTree(line);
                    add(d, r.path("grp").asText(), row(r.path("id").asText(), r.path("grp").asText(), r.path("payload").asText()));
                    rows++;
                }
                raw.transferTo(java.io.OutputStream.nullOutputStream()); // the gzip trailer's bytes count in the SHA-256 too
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).as(file + " SHA-256").isEqualTo(p.sha256());
            assertThat(rows).as(file + " rows").isEqualTo(p.rows());
        }
        return digestsAsText(d);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
