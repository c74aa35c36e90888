package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a SQL table (docs/offline.md) on each database: filter, columns and partitions, the files and
 * the manifest as another program would read them, the round trip through a restore, and the refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackupContract {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final int ROWS = 600;

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    abstract Dialect dialect();

    private TestDatabase db;

    @TempDir
    Path root;

    @BeforeAll
    void createDatabase() {
        db = TestDatabase.create(dialect(), "backup");
        String ts = dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP";
        db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, ts " + ts + " NOT NULL, region VARCHAR(20),"
                + " amount DECIMAL(12,2), note VARCHAR(100))");
        Random random = new Random(42);
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= ROWS; i++) {
            int day = 28 + i % 4; // 2026-11-28 .. 2026-12-01
            String date = day <= 30 ? String.format("2026-11-%02d", day) : "2026-12-01";
            values.append(values.isEmpty() ? "" : ", ").append("(").append(i).append(", TIMESTAMP '").append(date)
                    .append(String.format(" %02d:%02d:00'", random.nextInt(24), random.nextInt(60))).append(", ")
                    .append(i % 5 == 0 ? "NULL" : "'" + (i % 3 == 0 ? "eu" : "us") + "'").append(", ")
                    .append(random.nextInt(10000)).append(".").append(String.format("%02d", random.nextInt(100))).append(", ")
                    .append(i % 7 == 0 ? "NULL" : "'note " + i + " é'").append(")");
        }
        db.execute("INSERT INTO orders (id, ts, region, amount, note) VALUES " + values);
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    private static String name() {
        return "b" + NAMES.incrementAndGet();
    }

    private BackupReport backup(String json) {
        BackupSpec spec = BackupSpec.parse(json);
        return Backup.ofTable(root, spec, db.dataSource()).run(new JobControl(0));
    }

    private static List<ObjectNode> lines(Path file) throws IOException {
        List<ObjectNode> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(PartitionCompression.open(file),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add((ObjectNode) Json.MAPPER.readTree(line));
            }
        }
        return rows;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String field(ObjectNode row, String name) {
        JsonNode v = row.get(name);
        if (v == null) {
            v = row.get(name.toUpperCase());
        }
        return v == null || v.isNull() ? null : v.asText();
    }

    @Test
    void filterColumnsAndDayPartitionsAsTheFilesAndManifestSay() throws Exception {
        String name = name();
        BackupReport report = backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},"
                + "\"name\":\"" + name + "\",\"filter\":{\"where\":\"amount >= 1000 AND ts < TIMESTAMP '2026-12-01 00:00:00'\"},"
                + "\"columns\":[\"ts\",\"amount\"],\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}}");
        Path dir = root.resolve(name);
        assertThat(report.directory()).isEqualTo(dir.toAbsolutePath().normalize().toString());
        BackupManifest manifest = BackupManifest.read(dir);
        assertThat(manifest.partitions()).extracting(BackupManifest.Partition::name)
                .containsExactly("2026-11-28", "2026-11-29", "2026-11-30");
        assertThat(manifest.columns()).extracting(c -> c.name().toLowerCase()).containsExactly("id", "ts", "amount");
        assertThat(manifest.filter().path("where").asText()).contains("amount >= 1000");
        assertThat(manifest.source().identity()).contains("orders");
        assertThat(manifest.readAt()).isNotBlank();
        for (BackupManifest.Partition p : manifest.partitions()) {
            Path file = dir.resolve(p.file());
            assertThat(Files.size(file)).isEqualTo(p.bytes());
            assertThat(sha256(file)).isEqualTo(p.sha256());
            List<ObjectNode> rows = lines(file);
            assertThat(rows).hasSize((int) p.rows());
            List<Map<String, Object>> expected = db.query("SELECT id, amount FROM orders WHERE amount >= 1000 AND ts >= TIMESTAMP '"
                    + p.name() + " 00:00:00' AND ts < TIMESTAMP '" + p.name() + " 00:00:00' + INTERVAL '1' DAY ORDER BY id");
            assertThat(rows).extracting(r -> field(r, "id")).containsExactlyElementsOf(
                    expected.stream().map(m -> String.valueOf(m.values().iterator().next())).toList());
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.size()).isEqualTo(3);
                assertThat(field(r, "ts")).startsWith(p.name() + "T");
                assertThat(new java.math.BigDecimal(field(r, "amount"))).isGreaterThanOrEqualTo(new java.math.BigDecimal(1000));
            });
        }
        assertThat(report.rows()).isEqualTo(manifest.partitions().stream().mapToLong(BackupManifest.Partition::rows).sum())
                .isPositive();
        assertThat(Files.list(root).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }

    @Test
    void aRestoreOfTheBackupEqualsTheSelectedRows() {
        String name = name();
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name
                + "\",\"filter\":{\"where\":\"region IS NOT NULL\"},\"partitionBy\":{\"by\":\"value\",\"column\":\"region\"}}");
        String ts = dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP";
        String copy = "orders_copy_" + NAMES.incrementAndGet();
        db.execute("CREATE TABLE " + copy + " (id BIGINT PRIMARY KEY, ts " + ts + " NOT NULL, region VARCHAR(20),"
                + " amount DECIMAL(12,2), note VARCHAR(100))");
        RestoreReport restored = new Restore(root, RestoreSpec.parse("{\"name\":\"" + name + "\",\"target\":{\"dataSource\":"
                + "\"x\",\"table\":\"" + copy + "\"}}"), RestoreTarget.table(db.dataSource(), copy)).run(new JobControl(0));
        assertThat(restored.partitions()).extracting(RestoreReport.Partition::name).containsExactly("eu", "us");
        assertThat(restored.count(RestoreReport.RESTORED)).isEqualTo(2);
        String columns = "id, ts, region, amount, note";
        assertThat(db.query("SELECT " + columns + " FROM " + copy + " ORDER BY id"))
                .isEqualTo(db.query("SELECT " + columns + " FROM orders WHERE region IS NOT NULL ORDER BY id"));
        // the same restore again: nothing to do
        RestoreReport again = new Restore(root, RestoreSpec.parse("{\"name\":\"" + name + "\",\"target\":{\"dataSource\":"
                + "\"x\",\"table\":\"" + copy + "\"}}"), RestoreTarget.table(db.dataSource(), copy)).run(new JobControl(0));
        assertThat(again.count(RestoreReport.UNCHANGED)).isEqualTo(2);
    }

    @Test
    void everyCompressionAndLevelWritesTheSameRows() throws Exception {
        String spec = "{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"";
        String fast = name();
        String small = name();
        String gzip = name();
        String stored = name();
        backup(spec + fast + "\"}");
        backup(spec + small + "\",\"compressionLevel\":19}");
        backup(spec + gzip + "\",\"compression\":\"gzip\"}");
        backup(spec + stored + "\",\"compression\":\"gzip\",\"compressionLevel\":0}");
        Path zst = Path.of("partitions", "p-000001.jsonl.zst");
        Path gz = Path.of("partitions", "p-000001.jsonl.gz");
        List<ObjectNode> rows = lines(root.resolve(fast).resolve(zst));
        assertThat(rows).hasSize(ROWS);
        assertThat(lines(root.resolve(small).resolve(zst))).isEqualTo(rows);
        assertThat(lines(root.resolve(gzip).resolve(gz))).isEqualTo(rows);
        assertThat(lines(root.resolve(stored).resolve(gz))).isEqualTo(rows);
        long uncompressed;
        try (var in = PartitionCompression.open(root.resolve(fast).resolve(zst))) {
            uncompressed = in.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(Files.size(root.resolve(stored).resolve(gz))).isGreaterThan(uncompressed);
        assertThat(Files.size(root.resolve(fast).resolve(zst))).isLessThan(uncompressed / 2);
        assertThat(Files.size(root.resolve(gzip).resolve(gz))).isLessThan(uncompressed / 2);
        assertThat(BackupManifest.read(root.resolve(gzip)).partitions().get(0).file()).isEqualTo("partitions/p-000001.jsonl.gz");
        assertThatThrownBy(() -> backup(spec + name() + "\",\"compression\":\"gzip\",\"compressionLevel\":10}"))
                .hasMessageContaining("'compressionLevel' of gzip must be an integer from 0 (stored, no compression) to 9, got 10");
        assertThatThrownBy(() -> backup(spec + name() + "\",\"compressionLevel\":0}"))
                .hasMessageContaining("'compressionLevel' of zstd must be an integer from 1 to 19, got 0");
        assertThatThrownBy(() -> backup(spec + name() + "\",\"compression\":\"lz4\"}"))
                .hasMessageContaining("'compression' must be one of [zstd, gzip], got 'lz4'");
    }

    @Test
    void roundTripWithFilterColumnsPartitionsAndATransferEqualsTheSelection() throws Exception {
        String name = name();
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name
                + "\",\"filter\":{\"where\":\"amount BETWEEN 100 AND 8000 OR note IS NULL\"},\"columns\":[\"ts\",\"amount\","
                + "\"note\"],\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}}");
        Path siteB = Files.createDirectories(root.resolve("site-b-" + name));
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int exit = io.tributary.transfer.TransferCommand.run(new String[] {"--directory", root.toString(), "--name", name,
                "--destination", "file:" + siteB}, Map.of(), new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertThat(exit).as(err.toString()).isZero();

        String ts = dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP";
        String copy = "orders_rt_" + NAMES.incrementAndGet();
        db.execute("CREATE TABLE " + copy + " (id BIGINT PRIMARY KEY, ts " + ts + " NOT NULL, amount DECIMAL(12,2),"
                + " note VARCHAR(100))");
        RestoreReport restored = new Restore(siteB, RestoreSpec.parse("{\"name\":\"" + name + "\",\"target\":{\"dataSource\":"
                + "\"x\",\"table\":\"" + copy + "\"}}"), RestoreTarget.table(db.dataSource(), copy)).run(new JobControl(0));
        BackupManifest manifest = BackupManifest.read(siteB.resolve(name));
        assertThat(restored.partitions()).extracting(RestoreReport.Partition::name)
                .containsExactlyElementsOf(manifest.partitions().stream().map(BackupManifest.Partition::name).toList());
        // per partition: the same rows, count and content, as the selection at the source
        for (BackupManifest.Partition p : manifest.partitions()) {
            String day = " ts >= TIMESTAMP '" + p.name() + " 00:00:00' AND ts < TIMESTAMP '" + p.name() + " 00:00:00' + INTERVAL '1' DAY";
            assertThat(db.query("SELECT id, ts, amount, note FROM " + copy + " WHERE" + day + " ORDER BY id")).as(p.name())
                    .hasSize((int) p.rows())
                    .isEqualTo(db.query("SELECT id, ts, amount, note FROM orders WHERE (amount BETWEEN 100 AND 8000 OR note IS NULL)"
                            + " AND" + day + " ORDER BY id"));
        }
    }

    @Test
    void aManifestNamingAFileOutsideTheBackupIsRefused() throws Exception {
        String name = name();
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name + "\"}");
        Path manifest = root.resolve(name).resolve(BackupManifest.FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("partitions/p-000001.jsonl.zst", "../../../etc/passwd"));
        assertThatThrownBy(() -> BackupManifest.read(root.resolve(name)))
                .hasMessageContaining("names partition file '../../../etc/passwd': only partitions/p-NNNNNN.jsonl.zst or .jsonl.gz is read");
    }

    @Test
    void aForcedRestoreOfAFilteredBackupLeavesTheRowsOutsideTheFilter() {
        String name = name();
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name
                + "\",\"filter\":{\"where\":\"region = 'eu'\"},\"partitionBy\":{\"by\":\"month\",\"column\":\"ts\"}}");
        String ts = dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP";
        String copy = "orders_f_" + NAMES.incrementAndGet();
        db.execute("CREATE TABLE " + copy + " (id BIGINT PRIMARY KEY, ts " + ts + " NOT NULL, region VARCHAR(20),"
                + " amount DECIMAL(12,2), note VARCHAR(100))");
        // the target's November holds other regions' rows and an 'eu' row the backup does not have
        db.execute("INSERT INTO " + copy + " VALUES (900001, TIMESTAMP '2026-11-29 10:00:00', 'us', 1.00, 'stays'),"
                + " (900002, TIMESTAMP '2026-11-29 11:00:00', 'eu', 2.00, 'goes')");
        RestoreReport report = new Restore(root, RestoreSpec.parse("{\"name\":\"" + name + "\",\"force\":true,\"target\":"
                + "{\"dataSource\":\"x\",\"table\":\"" + copy + "\"}}"), RestoreTarget.table(db.dataSource(), copy)).run(new JobControl(0));
        assertThat(report.partition("2026-11").deleted()).isEqualTo(1);
        assertThat(db.query("SELECT id FROM " + copy + " WHERE id > 900000")).hasSize(1)
                .first().satisfies(r -> assertThat(r.values().iterator().next().toString()).isEqualTo("900001"));
        assertThat(db.query("SELECT id FROM " + copy + " WHERE region = 'eu' ORDER BY id"))
                .isEqualTo(db.query("SELECT id FROM orders WHERE region = 'eu' ORDER BY id"));
    }

    @Test
    void aForcedRestoreOfSomeColumnsIntoAWiderTableIsRefused() {
        String name = name();
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name
                + "\",\"columns\":[\"ts\",\"amount\"]}");
        String ts = dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP";
        String copy = "orders_c_" + NAMES.incrementAndGet();
        db.execute("CREATE TABLE " + copy + " (id BIGINT PRIMARY KEY, ts " + ts + " NOT NULL, amount DECIMAL(12,2),"
                + " secret VARCHAR(20))");
        db.execute("INSERT INTO " + copy + " VALUES (1, TIMESTAMP '2026-11-29 10:00:00', 5.00, 'keep')");
        assertThatThrownBy(() -> new Restore(root, RestoreSpec.parse("{\"name\":\"" + name + "\",\"force\":true,\"target\":"
                + "{\"dataSource\":\"x\",\"table\":\"" + copy + "\"}}"), RestoreTarget.table(db.dataSource(), copy))
                .run(new JobControl(0))).hasMessageContaining("lacks column(s)").hasMessageContaining("nothing was written");
        assertThat(db.query("SELECT secret FROM " + copy).get(0).values().iterator().next()).isEqualTo("keep");
    }

    @Test
    void aSecondWriterOfTheSameNameIsRefusedWhileTheFirstWrites() {
        String name = name();
        try (BackupWriter first = new BackupWriter(root, name, PartitionCompression.DEFAULT,
                PartitionCompression.DEFAULT.defaultLevel, BackupWriter.LOCAL, null, 1)) {
            assertThatThrownBy(() -> backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                    + "\"id\"},\"name\":\"" + name + "\"}")).hasMessageContaining("is being written");
            assertThat(root.resolve("." + name + ".partial")).exists();
        }
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name + "\"}");
        assertThat(BackupManifest.read(root.resolve(name)).partitions()).hasSize(1);
    }

    @Test
    void aRestoreOntoItsOwnSourceIsRefusedWhateverUrlOrNameReachesIt() throws Exception {
        String name = name();
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name + "\"}");
        String schema;
        try (var c = db.dataSource().getConnection()) {
            schema = dialect() == Dialect.MARIADB ? c.getCatalog() : c.getSchema();
        }
        try (var other = new com.zaxxer.hikari.HikariDataSource()) {
            other.setJdbcUrl(db.jdbcUrl().replace("127.0.0.1", "localhost"));
            other.setUsername(db.user());
            other.setMaximumPoolSize(1);
            assertThatThrownBy(() -> new Restore(root, RestoreSpec.parse("{\"name\":\"" + name + "\",\"force\":true,\"target\":"
                    + "{\"dataSource\":\"x\",\"table\":\"" + schema + ".orders\"}}"), RestoreTarget.table(other, schema + ".orders"))
                    .run(new JobControl(0))).hasMessageContaining("is the source of backup '" + name + "'");
        }
    }

    @Test
    void anInListFollowedByAndSelectsWhatTheDatabaseSelects() {
        BackupReport report = backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},"
                + "\"name\":\"" + name() + "\",\"dryRun\":true,\"filter\":{\"where\":\"region IN ('eu', 'us') AND note IS NOT NULL\"}}");
        assertThat(report.rows()).isEqualTo(((Number) db.query("SELECT COUNT(*) AS n FROM orders WHERE region IN ('eu', 'us')"
                + " AND note IS NOT NULL").get(0).values().iterator().next()).longValue());
    }

    @Test
    void writesDuringABackupAreNotInIt() throws Exception {
        String name = name();
        BackupSpec spec = BackupSpec.parse("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"name\":\"" + name + "\",\"partitionBy\":{\"by\":\"month\",\"column\":\"ts\"}}");
        List<Map<String, Object>> decemberRows = db.query("SELECT id, amount FROM orders WHERE ts >= TIMESTAMP"
                + " '2026-12-01 00:00:00' ORDER BY id");
        long december = decemberRows.size();
        String changedId = String.valueOf(decemberRows.get(0).values().iterator().next());
        String amountBefore = new java.math.BigDecimal(String.valueOf(decemberRows.get(0).values().toArray()[1])).toPlainString();
        // while the first partition is being written, another connection adds a December row and changes one
        BackupWriter.Disk meanwhile = file -> {
            if (file.toString().endsWith("p-000001.jsonl.zst")) {
                db.execute("INSERT INTO orders (id, ts, region, amount, note) VALUES (100001, TIMESTAMP '2026-12-01 12:00:00',"
                        + " 'eu', 1.00, 'late')");
                db.execute("UPDATE orders SET amount = amount + 1000 WHERE id = " + changedId);
            }
            return BackupWriter.LOCAL.create(file);
        };
        try {
            new Backup(root, spec, new SqlBackupSource(db.dataSource(), spec), meanwhile).run(new JobControl(0));
            BackupManifest manifest = BackupManifest.read(root.resolve(name));
            BackupManifest.Partition dec = manifest.partitions().get(1);
            assertThat(dec.name()).isEqualTo("2026-12");
            assertThat(dec.rows()).isEqualTo(december);
            List<ObjectNode> written = lines(root.resolve(name).resolve(dec.file()));
            assertThat(written).hasSize((int) december).noneMatch(r -> "100001".equals(field(r, "id")));
            assertThat(written).filteredOn(r -> changedId.equals(field(r, "id"))).singleElement()
                    .satisfies(r -> assertThat(new java.math.BigDecimal(field(r, "amount")).toPlainString()).isEqualTo(amountBefore));
        } finally {
            db.execute("DELETE FROM orders WHERE id = 100001");
            db.execute("UPDATE orders SET amount = amount - 1000 WHERE id = " + changedId + " AND amount >= 1000");
        }
    }

    @Test
    void keyPartitionsCoverEveryRowOnce() throws Exception {
        String name = name();
        int per = 50 + seed.random().nextInt(100);
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\"" + name
                + "\",\"partitionBy\":{\"by\":\"keys\",\"rowsPerPartition\":" + per + "}}");
        BackupManifest manifest = BackupManifest.read(root.resolve(name));
        assertThat(manifest.partitions()).hasSize((ROWS + per - 1) / per);
        List<String> ids = new ArrayList<>();
        for (BackupManifest.Partition p : manifest.partitions()) {
            assertThat(p.rows()).isLessThanOrEqualTo(per);
            lines(root.resolve(name).resolve(p.file())).forEach(r -> ids.add(field(r, "id")));
        }
        assertThat(ids).hasSize(ROWS).doesNotHaveDuplicates();
    }

    @Test
    void aDryRunCountsAndWritesNothing() {
        String name = name();
        BackupReport report = backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},"
                + "\"name\":\"" + name + "\",\"partitionBy\":{\"by\":\"month\",\"column\":\"ts\"},\"dryRun\":true}");
        assertThat(report.partitions()).extracting(BackupReport.Partition::name).containsExactly("2026-11", "2026-12");
        assertThat(report.rows()).isEqualTo(ROWS);
        assertThat(root.resolve(name)).doesNotExist();
    }

    @Test
    void hostileFiltersAreRefusedWithTheirReason() {
        String[][] cases = {
                {"1=1; DROP TABLE orders", "';' is not allowed"},
                {"id IN (SELECT id FROM orders)", "subqueries are not allowed"},
                {"EXISTS (SELECT 1 FROM orders)", "subqueries are not allowed"},
                {"pg_sleep(10) IS NULL", "function 'pg_sleep' is not allowed"},
                {"id > 0 -- and more", "comments"},
                {"id > 0 /* x */", "comments"},
                {"secret = 1", "unknown column 'secret'"},
                {"other.id = 1", "names a table"},
                {"id = ?", "JdbcParameter '?' is not allowed"},
                {"id >", "it is not one SQL condition"},
                {"note = 'a;b' AND id > 0", null},
                {"note = 'a\\' OR 1=1 OR note = ' OR (SELECT SLEEP(5)) = 0 OR note = '", "'\\' is not allowed"},
                {"$$x$$ = note", "'$' is not allowed outside a string"},
                {"note = \"id\"", "quoted names"},
                {"CASE WHEN id > 0 THEN 1 ELSE 0 END = 1", "is not allowed"},
                {"id > 0 OR @@version IS NULL", "not allowed"},
        };
        for (String[] c : cases) {
            if (c[1] == null) {
                backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":\"id\"},\"name\":\""
                        + name() + "\",\"dryRun\":true,\"filter\":{\"where\":" + Json.MAPPER.valueToTree(c[0]) + "}}");
                continue;
            }
            assertThatThrownBy(() -> backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                    + "\"id\"},\"name\":\"" + name() + "\",\"filter\":{\"where\":" + Json.MAPPER.valueToTree(c[0]) + "}}"))
                    .as(c[0]).isInstanceOf(ApiException.class).hasMessageContaining(c[1]);
        }
        assertThat(db.query("SELECT COUNT(*) FROM orders").get(0).values().iterator().next().toString()).isEqualTo("" + ROWS);
    }

    @Test
    void aCrashLeftoverIsRemovedAndAFullDiskLeavesNoBackup() throws Exception {
        String name = name();
        Path leftover = root.resolve("." + name + ".partial");
        Files.createDirectories(leftover.resolve("partitions"));
        Files.writeString(leftover.resolve("partitions/p-000001.jsonl.zst"), "half");
        BackupSpec spec = BackupSpec.parse("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"name\":\"" + name + "\",\"partitionBy\":{\"by\":\"month\",\"column\":\"ts\"}}");
        // a disk that fills up after 4 KiB
        BackupWriter.Disk full = file -> new OutputStream() {
            final OutputStream real = Files.newOutputStream(file);
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if ((written += len) > 4096) {
                    throw new IOException("No space left on device");
                }
                real.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
        assertThatThrownBy(() -> new Backup(root, spec, new SqlBackupSource(db.dataSource(), spec), full)
                .run(new JobControl(0)))
                .hasMessageContaining("backup '" + name + "' not completed").hasMessageContaining("No space left on device")
                .hasMessageContaining("p-00000");
        assertThat(root.resolve(name)).doesNotExist();
        assertThat(leftover).doesNotExist();
        // the disk has room again: the same backup completes
        Backup.ofTable(root, spec, db.dataSource()).run(new JobControl(0));
        assertThat(BackupManifest.read(root.resolve(name)).partitions()).hasSize(2);
        assertThatThrownBy(() -> Backup.ofTable(root, spec, db.dataSource()).run(new JobControl(0)))
                .hasMessageContaining("a backup named '" + name + "' exists already");
    }

    @Test
    void aMissingDirectoryAndUnknownColumnsAreClearErrors() {
        BackupSpec spec = BackupSpec.parse("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"name\":\"" + name() + "\"}");
        assertThatThrownBy(() -> Backup.ofTable(root.resolve("missing"), spec, db.dataSource()).run(new JobControl(0)))
                .hasMessageContaining("does not exist: create it first");
        assertThatThrownBy(() -> backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"columns\":[\"id\",\"nope\"]}")).hasMessageContaining("has no column 'nope'");
        assertThatThrownBy(() -> backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"partitionBy\":{\"by\":\"week\",\"column\":\"ts\"}}")).hasMessageContaining("'partitionBy.by' must be one of");
        assertThatThrownBy(() -> backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"partitionBy\":{\"by\":\"day\",\"column\":\"note\"},\"filter\":{\"where\":\"id < 10\"}}"))
                .hasMessageContaining("by day needs a date or timestamp column");
        assertThatThrownBy(() -> backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"nmae\":\"x\"}")).hasMessageContaining("unknown field 'nmae'");
    }

    @Test
    void aCollectionBacksUpByKeyRangeAndAttributeAndRestoresIntoAnotherCollection() throws Exception {
        io.tributary.central.CollectionStore store = io.tributary.central.CollectionStore.onJdbc(db.dataSource());
        List<io.tributary.keyrange.VersionedDocument> docs = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            String key = String.format("k%04d", i);
            docs.add(new io.tributary.keyrange.VersionedDocument(key, i % 2 == 0 ? java.math.BigInteger.valueOf(i) : null,
                    "{\"_key\":\"" + key + "\",\"region\":\"" + (i % 3 == 0 ? "eu" : "us") + "\",\"n\":" + i
                            + ",\"secret\":\"s" + i + "\"}"));
        }
        store.collection("_system", "items", true).upsert(docs);
        String name = name();
        BackupSpec spec = BackupSpec.parse("{\"source\":{\"collection\":\"items\"},\"name\":\"" + name + "\","
                + "\"filter\":{\"keyFrom\":\"k0101\",\"keyTo\":\"k0200\"},\"columns\":[\"region\",\"n\"],"
                + "\"partitionBy\":{\"by\":\"value\",\"column\":\"region\"}}");
        BackupReport report = Backup.ofCollection(root, spec, store, db.dataSource()).run(new JobControl(0));
        assertThat(report.rows()).isEqualTo(100);
        BackupManifest manifest = BackupManifest.read(root.resolve(name));
        assertThat(manifest.partitions()).extracting(BackupManifest.Partition::name).containsExactly("eu", "us");
        for (BackupManifest.Partition p : manifest.partitions()) {
            assertThat(lines(root.resolve(name).resolve(p.file()))).allSatisfy(d -> {
                assertThat(d.has("secret")).isFalse();
                assertThat(d.path("region").asText()).isEqualTo(p.name());
                assertThat(d.path("_key").asText()).isBetween("k0101", "k0200");
            });
        }
        RestoreReport restored = new Restore(root, RestoreSpec.parse("{\"name\":\"" + name + "\",\"target\":{\"collection\":"
                + "\"items_copy\"}}"), RestoreTarget.collection(store, db.dataSource(), "_system", "items_copy"))
                .run(new JobControl(0));
        assertThat(restored.count(RestoreReport.RESTORED)).isEqualTo(2);
        var copy = store.collection("_system", "items_copy", false);
        assertThat(copy.count()).isEqualTo(100);
        List<io.tributary.keyrange.VersionedDocument> back = copy.ranges().page(null, 1000);
        assertThat(back).extracting(io.tributary.keyrange.VersionedDocument::key).first().isEqualTo("k0101");
        assertThat(back).filteredOn(d -> d.key().equals("k0102")).singleElement()
                .satisfies(d -> assertThat(d.version()).isEqualTo(java.math.BigInteger.valueOf(102)));
    }

    @Test
    void aCollectionBacksUpAnAttributeRange() throws Exception {
        io.tributary.central.CollectionStore store = io.tributary.central.CollectionStore.onJdbc(db.dataSource());
        List<io.tributary.keyrange.VersionedDocument> docs = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            String key = String.format("a%03d", i);
            docs.add(new io.tributary.keyrange.VersionedDocument(key, null, "{\"_key\":\"" + key + "\",\"n\":" + i
                    + ",\"day\":\"2026-11-" + String.format("%02d", 1 + i % 30) + "\"}"));
        }
        store.collection("_system", "ranged", true).upsert(docs);
        String name = name();
        Backup.ofCollection(root, BackupSpec.parse("{\"source\":{\"collection\":\"ranged\"},\"name\":\"" + name + "\","
                + "\"filter\":{\"attribute\":\"n\",\"from\":20,\"to\":45}}"), store, db.dataSource()).run(new JobControl(0));
        BackupManifest manifest = BackupManifest.read(root.resolve(name));
        assertThat(manifest.filter().path("attribute").asText()).isEqualTo("n");
        List<ObjectNode> rows = lines(root.resolve(name).resolve(manifest.partitions().get(0).file()));
        assertThat(rows).hasSize(25).allSatisfy(d -> assertThat(d.path("n").asInt()).isBetween(20, 44));
        String byDay = name();
        BackupReport days = Backup.ofCollection(root, BackupSpec.parse("{\"source\":{\"collection\":\"ranged\"},\"name\":\""
                + byDay + "\",\"filter\":{\"attribute\":\"day\",\"from\":\"2026-11-10\",\"to\":\"2026-11-12\"}}"),
                store, db.dataSource()).run(new JobControl(0));
        assertThat(days.rows()).as("n = 9, 10, 39, 40, 69, 70, 99, 100").isEqualTo(8);
        assertThatThrownBy(() -> BackupSpec.parse("{\"source\":{\"collection\":\"ranged\"},\"filter\":{\"from\":1}}"))
                .hasMessageContaining("'filter.from' and 'filter.to' go with 'filter.attribute'");
    }

    /** Values that print alike are still partitions of their own, with names kept apart. */
    @Test
    void valuesThatPrintAlikeArePartitionsOfTheirOwn() throws Exception {
        String table = "alike_" + NAMES.incrementAndGet();
        db.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, tag VARCHAR(10))",
                "INSERT INTO " + table + " VALUES (1, NULL), (2, 'null'), (3, 'null'), (4, 'x')");
        String name = name();
        backup("{\"source\":{\"dataSource\":\"ordersDb\",\"table\":\"" + table + "\",\"keyColumn\":\"id\"},\"name\":\""
                + name + "\",\"partitionBy\":{\"by\":\"value\",\"column\":\"tag\"}}");
        Map<String, Long> rows = new java.util.TreeMap<>();
        Map<String, String> values = new java.util.TreeMap<>();
        for (BackupManifest.Partition p : BackupManifest.read(root.resolve(name)).partitions()) {
            rows.put(p.name(), p.rows());
            values.put(p.name(), p.bounds().value().toString());
        }
        // NULL is "null" on every database, the text 'null' beside it "null~2"
        assertThat(rows).isEqualTo(Map.of("null", 1L, "null~2", 2L, "x", 1L));
        assertThat(values).containsEntry("null", "null").containsEntry("null~2", "\"null\"");

        io.tributary.central.CollectionStore store = io.tributary.central.CollectionStore.onJdbc(db.dataSource());
        store.collection("_system", "alike", true).upsert(List.of(
                new io.tributary.keyrange.VersionedDocument("a", null, "{\"_key\":\"a\",\"v\":1}"),
                new io.tributary.keyrange.VersionedDocument("b", null, "{\"_key\":\"b\",\"v\":\"1\"}"),
                new io.tributary.keyrange.VersionedDocument("c", null, "{\"_key\":\"c\",\"v\":\"1\"}"),
                new io.tributary.keyrange.VersionedDocument("d", null, "{\"_key\":\"d\"}"),
                new io.tributary.keyrange.VersionedDocument("e", null, "{\"_key\":\"e\",\"v\":1.0}"),
                new io.tributary.keyrange.VersionedDocument("f", null, "{\"_key\":\"f\",\"v\":null}")));
        String docs = name();
        Backup.ofCollection(root, BackupSpec.parse("{\"source\":{\"collection\":\"alike\"},\"name\":\"" + docs + "\","
                + "\"partitionBy\":{\"by\":\"value\",\"column\":\"v\"}}"), store, db.dataSource()).run(new JobControl(0));
        Map<String, String> byValue = new java.util.TreeMap<>();
        for (BackupManifest.Partition p : BackupManifest.read(root.resolve(docs)).partitions()) {
            byValue.put(p.bounds().value().toString(), p.name() + ":" + p.rows());
        }
        // the numbers 1 and 1.0 are one partition, the text "1" another; a missing and a null value are "null"
        assertThat(byValue).hasSize(3).containsEntry("null", "null:2").containsEntry("\"1\"", "1:2").containsEntry("1", "1~2:2");

        // each partition's documents, and only them, are restored: none is deleted as another partition's
        RestoreReport restored = new Restore(root, RestoreSpec.parse("{\"name\":\"" + docs + "\",\"target\":{\"collection\":"
                + "\"alike_copy\"}}"), RestoreTarget.collection(store, db.dataSource(), "_system", "alike_copy"))
                .run(new JobControl(0));
        var source = store.collection("_system", "alike", false);
        var copy = store.collection("_system", "alike_copy", false);
        assertThat(copy.count()).as(restored.toString()).isEqualTo(6);
        assertThat(documents(copy)).isEqualTo(documents(source));
        RestoreReport again = new Restore(root, RestoreSpec.parse("{\"name\":\"" + docs + "\",\"target\":{\"collection\":"
                + "\"alike_copy\"}}"), RestoreTarget.collection(store, db.dataSource(), "_system", "alike_copy"))
                .run(new JobControl(0));
        assertThat(again.count(RestoreReport.UNCHANGED)).as("a second restore changes nothing: %s", again).isEqualTo(3);

        // a collection has no schema: an attribute that no selected document has is taken for a typo
        assertThatThrownBy(() -> Backup.ofCollection(root, BackupSpec.parse("{\"source\":{\"collection\":\"alike\"},"
                + "\"columns\":[\"v\",\"vv\"]}"), store, db.dataSource()).run(new JobControl(0)))
                .hasMessageContaining("'columns' names [vv], which no document in the selection has");
    }

    private static Map<String, JsonNode> documents(io.tributary.central.StoredCollection c)
            throws Exception {
        Map<String, JsonNode> docs = new java.util.TreeMap<>();
        for (io.tributary.keyrange.VersionedDocument d : c.ranges().page(null, 1000)) {
            docs.put(d.key(), Json.MAPPER.readTree(d.json()));
        }
        return docs;
    }
}
