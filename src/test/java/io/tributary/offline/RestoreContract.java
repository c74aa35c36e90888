package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.sql.Dialect;
import io.tributary.job.JobControl;
import io.tributary.testing.TestDatabase;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Restoring backups (docs/offline.md, "Restore") into a SQL table and a central collection, on each database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RestoreContract {

    private static final List<String> DAYS = List.of("2026-11-29", "2026-11-30", "2026-12-01");
    private static final String ELSEWHERE = "h2://elsewhere/db table public.orders";
    private static final AtomicInteger TABLES = new AtomicInteger();

    abstract Dialect dialect();

    private TestDatabase db;
    private CollectionStore store;

    @TempDir
    Path root;

    @BeforeAll
    void createDatabase() {
        db = TestDatabase.create(dialect(), "restore");
        store = CollectionStore.onJdbc(db.dataSource());
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    /** A fresh target table like the backed-up one. */
    private String table() {
        String name = "orders_" + TABLES.incrementAndGet();
        String ts = dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP";
        db.execute("CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, ts " + ts + ", region VARCHAR(20),"
                + " amount DECIMAL(12,2))");
        return name;
    }

    private static ObjectNode row(long id, String day, int hour, String amount) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("id", id).put("ts", String.format("%sT%02d:00:00", day, hour))
                .put("region", id % 2 == 0 ? "eu" : "us");
        r.put("amount", new java.math.BigDecimal(amount));
        return r;
    }

    /** Three day partitions of {@code perDay} rows each. */
    private Path backup(String name, String identity, int perDay) {
        List<BackupFixture.Part> parts = new ArrayList<>();
        long id = 1;
        for (String day : DAYS) {
            List<ObjectNode> rows = new ArrayList<>();
            for (int i = 0; i < perDay; i++, id++) {
                rows.add(row(id, day, i % 24, id + ".50"));
            }
            parts.add(new BackupFixture.Part(day, BackupFixture.dayBounds("ts", day), rows));
        }
        return BackupFixture.table(name, identity, "id", "day", "ts", "id", "BIGINT", "ts", "TIMESTAMP", "region",
                "VARCHAR", "amount", "DECIMAL").write(root, parts);
    }

    private RestoreReport restore(String table, String name, String partition, boolean force, boolean dryRun) {
        RestoreSpec spec = RestoreSpec.parse("{\"name\":\"" + name + "\",\"target\":{\"dataSource\":\"archiveDb\","
                + "\"table\":\"" + table + "\"},\"partition\":\"" + partition + "\",\"force\":" + force + ",\"dryRun\":"
                + dryRun + "}");
        return new Restore(root, spec, RestoreTarget.table(db.dataSource(), table)).run(new JobControl(0));
    }

    private List<Map<String, Object>> all(String table) {
        return db.query("SELECT id, ts, region, amount FROM " + table + " ORDER BY id");
    }

    @Test
    void restoresEveryPartitionAndASecondRunChangesNothing() {
        String table = table();
        backup("full", ELSEWHERE, 5);

        JobControl control = new JobControl(0);
        RestoreReport first = new Restore(root, RestoreSpec.parse("{\"name\":\"full\",\"target\":{\"dataSource\":"
                + "\"archiveDb\",\"table\":\"" + table + "\"}}"), RestoreTarget.table(db.dataSource(), table)).run(control);

        assertThat(first.count(RestoreReport.RESTORED)).isEqualTo(3);
        assertThat(first.partition("2026-11-30").written()).isEqualTo(5);
        assertThat(db.count("SELECT COUNT(*) FROM " + table)).isEqualTo(15);
        assertThat(control.rowsTotal()).isEqualTo(15);
        assertThat(control.rowsDone()).isEqualTo(15);
        Map<String, Object> row7 = db.query("SELECT ts, amount, region FROM " + table + " WHERE id = 7").get(0);
        assertThat(row7.get("amount").toString()).isEqualTo("7.50");
        assertThat(row7.get("ts").toString()).startsWith("2026-11-30 01:00:00");
        assertThat(row7.get("region")).isEqualTo("us");

        RestoreReport second = restore(table, "full", "%", false, false);
        assertThat(second.count(RestoreReport.UNCHANGED)).isEqualTo(3);
        assertThat(second.toJson().path("totals").path("written").asLong()).isZero();
    }

    @Test
    void aCorruptTruncatedOrMissingFileWritesNothingAndIsNamed() throws Exception {
        String table = table();
        db.execute("INSERT INTO " + table + " (id, region) VALUES (1000, 'kept')");
        List<Map<String, Object>> before = all(table);

        Path corrupt = backup("corrupt", ELSEWHERE, 5).resolve("partitions/p-000002.jsonl.gz");
        byte[] bytes = Files.readAllBytes(corrupt);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(corrupt, bytes);
        assertThatThrownBy(() -> restore(table, "corrupt", "%", true, false))
                .hasMessageContaining("partitions/p-000002.jsonl.gz").hasMessageContaining("SHA-256");

        Path truncated = backup("truncated", ELSEWHERE, 5).resolve("partitions/p-000003.jsonl.gz");
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 10));
        assertThatThrownBy(() -> restore(table, "truncated", "%", true, false))
                .hasMessageContaining("partitions/p-000003.jsonl.gz").hasMessageContaining("truncated");

        Files.delete(backup("missing", ELSEWHERE, 5).resolve("partitions/p-000001.jsonl.gz"));
        assertThatThrownBy(() -> restore(table, "missing", "%", true, false))
                .hasMessageContaining("partitions/p-000001.jsonl.gz").hasMessageContaining("missing");

        assertThat(all(table)).isEqualTo(before);
    }

    @Test
    void anUnknownFormatVersionIsRefusedByNumber() {
        String table = table();
        BackupFixture.table("future", ELSEWHERE, "id", "none", null, "id", "BIGINT").formatVersion(2)
                .write(root, List.of(new BackupFixture.Part("all", Json.MAPPER.createObjectNode(), List.of())));

        assertThatThrownBy(() -> restore(table, "future", "%", false, false))
                .hasMessageContaining("unknown backup formatVersion 2");
    }

    @Test
    void aPatternRestoresOnlyItsPartitions() {
        String table = table();
        backup("partial", ELSEWHERE, 4);

        RestoreReport report = restore(table, "partial", "2026-11-*", false, false);

        assertThat(report.partition("2026-11-29").status()).isEqualTo(RestoreReport.RESTORED);
        assertThat(report.partition("2026-11-30").status()).isEqualTo(RestoreReport.RESTORED);
        assertThat(report.partition("2026-12-01").status()).isEqualTo(RestoreReport.SKIPPED);
        assertThat(db.count("SELECT COUNT(*) FROM " + table)).isEqualTo(8);
        assertThat(restore(table, "partial", "2026-11-3?", false, false).partition("2026-11-30").status())
                .isEqualTo(RestoreReport.UNCHANGED);
    }

    @Test
    void withoutForceADifferingPartitionRefusesAllWithForceOnlyItIsReplaced() {
        String table = table();
        backup("force", ELSEWHERE, 5);
        restore(table, "force", "%", false, false);
        db.execute("UPDATE " + table + " SET region = 'changed' WHERE id = 7",
                "INSERT INTO " + table + " (id, ts, region) VALUES (500, '2026-11-30 12:30:00', 'extra')",
                "INSERT INTO " + table + " (id, ts, region) VALUES (501, '2026-12-05 12:00:00', 'outside')");
        List<Map<String, Object>> before = all(table);

        assertThatThrownBy(() -> restore(table, "force", "%", false, false))
                .isInstanceOf(ApiException.class).hasMessageContaining("2026-11-30")
                .hasMessageNotContaining("2026-11-29").satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));
        assertThat(all(table)).isEqualTo(before);

        RestoreReport dry = restore(table, "force", "%", true, true);
        assertThat(dry.partition("2026-11-30")).isEqualTo(new RestoreReport.Partition("2026-11-30", 5,
                RestoreReport.RESTORED, 5, 1, 0));
        assertThat(dry.partition("2026-11-29").status()).isEqualTo(RestoreReport.UNCHANGED);
        assertThat(restore(table, "force", "%", false, true).partition("2026-11-30").status())
                .isEqualTo(RestoreReport.REFUSED);
        assertThat(all(table)).as("a dry run writes nothing").isEqualTo(before);

        RestoreReport forced = restore(table, "force", "%", true, false);
        assertThat(forced.partition("2026-11-30")).isEqualTo(new RestoreReport.Partition("2026-11-30", 5,
                RestoreReport.RESTORED, 5, 1, 0));
        assertThat(forced.count(RestoreReport.UNCHANGED)).isEqualTo(2);
        assertThat(db.query("SELECT region FROM " + table + " WHERE id = 7").get(0).get("region")).isEqualTo("us");
        assertThat(db.count("SELECT COUNT(*) FROM " + table + " WHERE id = 500")).isZero();
        assertThat(db.query("SELECT region FROM " + table + " WHERE id = 501").get(0).get("region")).isEqualTo("outside");
    }

    @Test
    void aBackupIsNotRestoredOntoItsOwnSource() {
        String table = table();
        backup("own", SourceIdentity.ofTable(db.dataSource(), table), 2);

        assertThatThrownBy(() -> restore(table, "own", "%", true, false))
                .hasMessageContaining("is the source of backup 'own'");
        assertThat(db.count("SELECT COUNT(*) FROM " + table)).isZero();
    }

    @Test
    void aBackupColumnMissingInTheTargetIsNamedBeforeWriting() {
        String table = "narrow_" + TABLES.incrementAndGet();
        db.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, region VARCHAR(20))");
        backup("wide", ELSEWHERE, 2);

        assertThatThrownBy(() -> restore(table, "wide", "%", true, false)).hasMessageContaining("lacks column(s) ts, amount");
        assertThat(db.count("SELECT COUNT(*) FROM " + table)).isZero();
    }

    @Test
    void aReaderNeverSeesHalfAPartition() throws Exception {
        String table = table();
        backup("big", ELSEWHERE, 2500);
        restore(table, "big", "%", false, false);
        db.execute("DELETE FROM " + table + " WHERE id > 2600 AND id <= 5000"); // 2026-11-30 keeps 100 rows
        String count = "SELECT COUNT(*) FROM " + table + " WHERE ts >= '2026-11-30 00:00:00' AND ts < '2026-12-01 00:00:00'";
        assertThat(db.count(count)).isEqualTo(100);

        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                do {
                    try (ResultSet rs = s.executeQuery(count)) {
                        rs.next();
                        seen.add(rs.getLong(1));
                    }
                    reading.countDown();
                } while (!done.get());
            } catch (Exception e) {
                seen.add(-1L);
                reading.countDown();
            }
        });
        reader.start();
        reading.await();
        try {
            assertThat(restore(table, "big", "2026-11-30", true, false).partition("2026-11-30").written()).isEqualTo(2500);
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(seen).isNotEmpty().isSubsetOf(100L, 2500L);
        assertThat(db.count(count)).isEqualTo(2500);
    }

    @Test
    void typedColumnsArriveAsTheirTypesAndCompareEqualOnTheNextRun() {
        String table = "typed_" + TABLES.incrementAndGet();
        boolean withZone = dialect() != Dialect.MARIADB; // MariaDB has no time zone column type
        db.execute("CREATE TABLE " + table + " (code VARCHAR(20) PRIMARY KEY, region VARCHAR(10), on_day DATE, at "
                + (dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP") + ", big DECIMAL(30,10), flag BOOLEAN, data "
                + (dialect() == Dialect.POSTGRESQL ? "BYTEA" : "VARBINARY(16)")
                + (withZone ? ", seen " + (dialect() == Dialect.POSTGRESQL ? "TIMESTAMPTZ" : "TIMESTAMP WITH TIME ZONE") : "")
                + ")");
        List<String> columns = new ArrayList<>(List.of("code", "VARCHAR", "region", "VARCHAR", "on_day", "DATE", "at",
                "TIMESTAMP", "big", "DECIMAL", "flag", "BOOLEAN", "data", "VARBINARY"));
        if (withZone) {
            columns.addAll(List.of("seen", "TIMESTAMP WITH TIME ZONE"));
        }
        List<BackupFixture.Part> parts = new ArrayList<>();
        for (String region : new String[] {"eu", null}) {
            ObjectNode r = Json.MAPPER.createObjectNode().put("code", "k-" + region).put("region", region)
                    .put("on_day", "2026-11-30").put("at", "2026-11-30T22:30:00").put("flag", true)
                    .put("data", java.util.Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255}));
            r.put("big", new java.math.BigDecimal("12345678901234567890.1234567890"));
            if (withZone) {
                r.put("seen", "2026-11-30T21:30:00Z");
            }
            ObjectNode bounds = Json.MAPPER.createObjectNode().put("column", "region");
            bounds.set("value", region == null ? Json.MAPPER.nullNode() : Json.MAPPER.getNodeFactory().textNode(region));
            parts.add(new BackupFixture.Part(region == null ? "null" : region, bounds, List.of(r)));
        }
        BackupFixture.table("typed", ELSEWHERE, "code", "value", "region", columns.toArray(String[]::new))
                .write(root, parts);
        db.execute("INSERT INTO " + table + " (code, region) VALUES ('other', 'us')");

        assertThat(restore(table, "typed", "%", false, false).count(RestoreReport.RESTORED)).isEqualTo(2);

        Map<String, Object> eu = db.query("SELECT on_day, at, big, flag, data FROM " + table + " WHERE code = 'k-eu'").get(0);
        assertThat(eu.get("on_day").toString()).isEqualTo("2026-11-30");
        assertThat(eu.get("at").toString()).startsWith("2026-11-30 22:30:00");
        assertThat((java.math.BigDecimal) eu.get("big")).isEqualByComparingTo("12345678901234567890.1234567890");
        assertThat(eu.get("flag")).isIn(true, 1, (byte) 1);
        assertThat((byte[]) eu.get("data")).containsExactly(0, 1, 2, 255);
        assertThat(db.count("SELECT COUNT(*) FROM " + table + " WHERE region IS NULL")).isEqualTo(1);
        if (withZone) {
            assertThat(db.count("SELECT COUNT(*) FROM " + table + " WHERE seen = ?",
                    java.time.OffsetDateTime.parse("2026-11-30T22:30:00+01:00"))).isEqualTo(2);
        }
        assertThat(restore(table, "typed", "%", false, false).count(RestoreReport.UNCHANGED))
                .as("every value compares equal to its backup after the round trip").isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM " + table + " WHERE code = 'other'")).isEqualTo(1);
    }

    @Test
    void keyPartitionsAreCutInByteOrder() {
        String table = "keyed_" + TABLES.incrementAndGet();
        db.execute("CREATE TABLE " + table + " (code VARCHAR(20) PRIMARY KEY, x INTEGER)");
        List<BackupFixture.Part> parts = List.of(
                new BackupFixture.Part("keys-000001", Json.MAPPER.createObjectNode().put("column", "code").put("first", "a")
                        .put("last", "m"), List.of(keyed("a", 1), keyed("c", 1), keyed("m", 1))),
                new BackupFixture.Part("keys-000002", Json.MAPPER.createObjectNode().put("column", "code").put("first", "n")
                        .put("last", "z"), List.of(keyed("x", 1))));
        BackupFixture.table("keyed", ELSEWHERE, "code", "keys", "code", "code", "VARCHAR", "x", "INTEGER")
                .write(root, parts);
        // "B" sorts before "a" in byte order: outside the first partition, though a case-blind collation puts it inside
        db.execute("INSERT INTO " + table + " VALUES ('B', 9)", "INSERT INTO " + table + " VALUES ('bb', 9)",
                "INSERT INTO " + table + " VALUES ('c', 9)", "INSERT INTO " + table + " VALUES ('zz', 9)");

        RestoreReport report = restore(table, "keyed", "keys-000001", true, false);

        assertThat(report.partition("keys-000001")).isEqualTo(new RestoreReport.Partition("keys-000001", 3,
                RestoreReport.RESTORED, 3, 1, 0));
        assertThat(db.query("SELECT code, x FROM " + table + " ORDER BY x, code").stream()
                .map(r -> r.get("code") + "=" + r.get("x")).toList())
                .containsExactlyInAnyOrder("a=1", "c=1", "m=1", "B=9", "zz=9");
    }

    @Test
    void boundsThatDoNotFitThePartitioningAreRefusedNamingTheFile() {
        String table = table();
        db.execute("INSERT INTO " + table + " (id, region) VALUES (1000, 'kept')");
        List<Map<String, Object>> before = all(table);
        ObjectNode noTo = Json.MAPPER.createObjectNode().put("column", "ts").put("from", "2026-11-30T00:00:00");
        ObjectNode twoDays = Json.MAPPER.createObjectNode().put("column", "ts").put("from", "2026-11-30T00:00:00")
                .put("to", "2026-12-02T00:00:00");
        ObjectNode noValue = Json.MAPPER.createObjectNode().put("column", "region");
        ObjectNode keysBackwards = Json.MAPPER.createObjectNode().put("column", "id").put("first", "9").put("last", "10");
        ObjectNode wholeWithBounds = BackupFixture.dayBounds("ts", "2026-11-30");
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("b-noto", new Object[] {"day", "ts", noTo, "needs exactly 'column', 'from' and 'to'"});
        cases.put("b-twodays", new Object[] {"day", "ts", twoDays, "'from' must start a day and 'to' the next"});
        cases.put("b-month", new Object[] {"month", "ts", BackupFixture.dayBounds("ts", "2026-11-30"),
                "'from' must start a month and 'to' the next"});
        cases.put("b-novalue", new Object[] {"value", "region", noValue, "needs exactly 'column' and 'value'"});
        cases.put("b-keys", new Object[] {"keys", null, keysBackwards, "'first' comes after 'last' in byte order"});
        cases.put("b-none", new Object[] {"none", null, wholeWithBounds, "the whole selection has no bounds"});
        cases.put("b-othercolumn", new Object[] {"day", "ts", BackupFixture.dayBounds("amount", "2026-11-30"),
                "'column' is not the partitioning's column ts"});
        cases.forEach((name, c) -> {
            BackupFixture.table(name, ELSEWHERE, "id", (String) c[0], (String) c[1], "id", "BIGINT", "ts", "TIMESTAMP",
                    "region", "VARCHAR", "amount", "DECIMAL").write(root, List.of(
                    new BackupFixture.Part("p", (ObjectNode) c[2], List.of(row(1, "2026-11-30", 1, "1.00")))));
            assertThatThrownBy(() -> restore(table, name, "%", true, false))
                    .as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(root.resolve(name).resolve("manifest.json").toString())
                    .hasMessageContaining("partition 'p' (partitions/p-000001.jsonl.gz) has bounds")
                    .hasMessageContaining("that do not fit partitioning by " + c[0] + ": " + c[3]);
        });
        assertThat(all(table)).isEqualTo(before);
    }

    @Test
    void aRowOutsideItsPartitionIsRefusedWhileStreamingAndThePartitionRollsBack() {
        // by day: a row of another day in the file of 2026-11-29
        String table = table();
        db.execute("INSERT INTO " + table + " (id, ts, region) VALUES (900, TIMESTAMP '2026-11-29 05:00:00', 'kept')");
        List<Map<String, Object>> before = all(table);
        BackupFixture.table("stray-day", ELSEWHERE, "id", "day", "ts", "id", "BIGINT", "ts", "TIMESTAMP", "region",
                "VARCHAR", "amount", "DECIMAL").write(root, List.of(new BackupFixture.Part("2026-11-29",
                BackupFixture.dayBounds("ts", "2026-11-29"), List.of(row(1, "2026-11-29", 1, "1.00"),
                row(2, "2026-11-29", 23, "2.00"), row(3, "2026-12-03", 10, "3.00"), row(4, "2026-11-29", 2, "4.00")))));
        assertThatThrownBy(() -> restore(table, "stray-day", "%", true, false))
                .hasMessageContaining("backup file partitions/p-000001.jsonl.gz row 3 lies outside partition '2026-11-29'"
                        + " (ts from 2026-11-29T00:00:00 to 2026-11-30T00:00:00): its ts is \"2026-12-03T10:00:00\"")
                .hasMessageContaining("nothing of the partition was written");
        assertThat(all(table)).isEqualTo(before);

        // by value: an "us" row in the file of "eu" (MariaDB's collation compares text: the database counts)
        String byRegion = table();
        db.execute("INSERT INTO " + byRegion + " (id, region) VALUES (900, 'eu')");
        List<Map<String, Object>> regionBefore = all(byRegion);
        BackupFixture.table("stray-value", ELSEWHERE, "id", "value", "region", "id", "BIGINT", "ts", "TIMESTAMP",
                "region", "VARCHAR", "amount", "DECIMAL").write(root, List.of(new BackupFixture.Part("eu",
                Json.MAPPER.createObjectNode().put("column", "region").put("value", "eu"),
                List.of(row(2, "2026-11-29", 1, "1.00"), row(3, "2026-11-29", 2, "2.00")))));
        assertThatThrownBy(() -> restore(byRegion, "stray-value", "%", true, false))
                .hasMessageContaining("partitions/p-000001.jsonl.gz")
                .hasMessageContaining("outside partition 'eu' (region = \"eu\")")
                .hasMessageContaining("nothing of the partition was written");
        assertThat(all(byRegion)).isEqualTo(regionBefore);

        // by keys: key 25 is past "2" in byte order ("10" and "19" are inside)
        String keyed = "keyed_" + TABLES.incrementAndGet();
        db.execute("CREATE TABLE " + keyed + " (id BIGINT PRIMARY KEY, x INTEGER)");
        BackupFixture.table("stray-key", ELSEWHERE, "id", "keys", "id", "id", "BIGINT", "x", "INTEGER").write(root,
                List.of(new BackupFixture.Part("keys-000001", Json.MAPPER.createObjectNode().put("column", "id")
                        .put("first", "1").put("last", "2"), List.of(Json.MAPPER.createObjectNode().put("id", 10).put("x", 1),
                        Json.MAPPER.createObjectNode().put("id", 19).put("x", 1),
                        Json.MAPPER.createObjectNode().put("id", 25).put("x", 1)))));
        assertThatThrownBy(() -> restore(keyed, "stray-key", "%", false, false))
                .hasMessageContaining("backup file partitions/p-000001.jsonl.gz row 3 lies outside partition 'keys-000001'"
                        + " (id from 1 to 2 in byte order): its id is 25");
        assertThat(db.count("SELECT COUNT(*) FROM " + keyed)).isZero();
    }

    private static ObjectNode keyed(String code, int x) {
        return Json.MAPPER.createObjectNode().put("code", code).put("x", x);
    }

    // ---- into a central collection

    private static ObjectNode doc(String key, Integer version, String day, String x) {
        ObjectNode d = Json.MAPPER.createObjectNode().put("_key", key).put("ts", day + "T10:00:00").put("x", x);
        if (version != null) {
            d.put("_version", version);
        }
        return d;
    }

    private RestoreReport restoreCollection(String collection, String name, boolean force) {
        RestoreSpec spec = RestoreSpec.parse("{\"name\":\"" + name + "\",\"target\":{\"collection\":\"" + collection
                + "\"},\"force\":" + force + "}");
        return new Restore(root, spec, RestoreTarget.collection(store, db.dataSource(), "_system", collection))
                .run(new JobControl(0));
    }

    @Test
    void intoACollectionTheNewerStoredVersionIsKept() {
        BackupFixture.collection("docs", "h2://elsewhere/db collection _system/orders", "day", "ts").write(root, List.of(
                new BackupFixture.Part("2026-11-29", BackupFixture.dayBounds("ts", "2026-11-29"),
                        List.of(doc("a", 5, "2026-11-29", "backup"), doc("b", null, "2026-11-29", "backup"))),
                new BackupFixture.Part("2026-11-30", BackupFixture.dayBounds("ts", "2026-11-30"),
                        List.of(doc("c", 5, "2026-11-30", "backup")))));

        RestoreReport first = restoreCollection("restored", "docs", false);
        assertThat(first.count(RestoreReport.RESTORED)).isEqualTo(2);
        assertThat(store.count("_system", "restored")).isEqualTo(3);
        assertThat(store.documents("_system", "restored", List.of("b")).get("b").path("x").asText()).isEqualTo("backup");
        assertThat(restoreCollection("restored", "docs", false).count(RestoreReport.UNCHANGED)).isEqualTo(2);

        StoredCollection target = store.collection("_system", "restored", false);
        target.upsert(List.of(new VersionedDocument("a", BigInteger.TEN, "{\"_key\":\"a\",\"ts\":\"2026-11-29T10:00:00\","
                        + "\"x\":\"newer\"}"),
                new VersionedDocument("d", null, "{\"_key\":\"d\",\"ts\":\"2026-11-29T11:00:00\",\"x\":\"stray\"}"),
                new VersionedDocument("e", null, "{\"_key\":\"e\",\"ts\":\"2026-12-02T11:00:00\",\"x\":\"outside\"}")));
        assertThatThrownBy(() -> restoreCollection("restored", "docs", false)).hasMessageContaining("2026-11-29");

        RestoreSpec dry = RestoreSpec.parse("{\"name\":\"docs\",\"target\":{\"collection\":\"restored\"},"
                + "\"force\":true,\"dryRun\":true}");
        assertThat(new Restore(root, dry, RestoreTarget.collection(store, db.dataSource(), "_system", "restored"))
                .run(new JobControl(0)).partition("2026-11-29"))
                .isEqualTo(new RestoreReport.Partition("2026-11-29", 2, RestoreReport.RESTORED, 2, 1, 0));
        assertThat(store.count("_system", "restored")).as("a dry run writes nothing").isEqualTo(5);

        RestoreReport forced = restoreCollection("restored", "docs", true);

        assertThat(forced.partition("2026-11-29")).isEqualTo(new RestoreReport.Partition("2026-11-29", 2,
                RestoreReport.RESTORED, 0, 1, 1));
        assertThat(forced.partition("2026-11-30").status()).isEqualTo(RestoreReport.UNCHANGED);
        assertThat(store.documents("_system", "restored", List.of("a")).get("a").path("x").asText()).isEqualTo("newer");
        assertThat(store.documents("_system", "restored", List.of("d"))).isEmpty();
        assertThat(store.documents("_system", "restored", List.of("e"))).containsKey("e");
    }

    @Test
    void aTableBackupRestoresIntoACollectionByItsKeyColumn() {
        backup("tabledocs", ELSEWHERE, 3);

        RestoreReport report = restoreCollection("fromtable", "tabledocs", false);

        assertThat(report.count(RestoreReport.RESTORED)).isEqualTo(3);
        ObjectNode four = store.documents("_system", "fromtable", List.of("4")).get("4");
        assertThat(four.path("ts").asText()).isEqualTo("2026-11-30T00:00:00");
        assertThat(four.path("amount").decimalValue()).isEqualByComparingTo("4.50");
        assertThat(restoreCollection("fromtable", "tabledocs", false).count(RestoreReport.UNCHANGED)).isEqualTo(3);
    }

    @Test
    void aPatternThatSelectsNothingIsRefused() {
        String table = table();
        backup("nothing", ELSEWHERE, 1);

        assertThatThrownBy(() -> restore(table, "nothing", "2027-*", false, false))
                .hasMessageContaining("no partition of backup 'nothing' matches 'partition' pattern '2027-*'");
        assertThatThrownBy(() -> restore(table, "absent", "%", false, false))
                .hasMessageContaining("backup 'absent' not found");
    }

    @Test
    void aCancelledRestoreWritesNothing() {
        String table = table();
        backup("cancelled", ELSEWHERE, 3);
        JobControl control = new JobControl(0);
        control.cancel();

        assertThatThrownBy(() -> new Restore(root, RestoreSpec.parse("{\"name\":\"cancelled\",\"target\":{"
                + "\"dataSource\":\"archiveDb\",\"table\":\"" + table + "\"}}"), RestoreTarget.table(db.dataSource(),
                table)).run(control)).hasMessage("cancelled");
        assertThat(db.count("SELECT COUNT(*) FROM " + table)).isZero();
    }
}
