package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupPostgresTest extends BackupContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    /**
     * A PostgreSQL table of every type read through COPY ({@link PostgresCopyOut}) and of values at the
     * edges of their texts: its backup holds, byte for byte, the lines {@link SqlColumn#writeJson} writes
     * from a JDBC {@code ResultSet} of the same rows, the way the other databases are backed up.
     */
    @Test
    void rowsReadThroughCopyAreWrittenAsJdbcRowsAre(@TempDir Path dir) throws Exception {
        try (TestDatabase pg = TestDatabase.create(Dialect.POSTGRESQL, "copyout")) {
            pg.execute("CREATE TABLE kinds (id int8 PRIMARY KEY, i2 int2, i4 int4, n numeric, b bool, t text,"
                            + " v varchar(40), c char(5), u uuid, j json, jb jsonb, d date, tm time, ts timestamp,"
                            + " tz timestamptz, bin bytea)",
                    "INSERT INTO kinds VALUES"
                            + " (1, -32768, 2147483647, 0, true, E'tab\\there\\nnew \"q\" back\\\\slash \\x01\\x1f\\x7f \\b\\f\\r\\v', 'it''s',"
                            + "  'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": [1, \"x\\ny\"]}', '{\"b\": \"é\"}',"
                            + "  '2026-11-30', '10:00:00', '2026-11-30 10:00:00', '2026-11-30 10:00:00+00', '\\x00ff10'),"
                            + " (2, 0, -1, 0.00, false, '', 'a?b', 'abcde', NULL, NULL, '[]', '0044-03-15 BC', '23:59:59.999999',"
                            + "  '2026-11-30 10:00:00.5', '2026-11-30 10:00:00.5+02', '\\x'),"
                            + " (3, NULL, NULL, 0.0000001, NULL, 'é€𝄞 \u2028', NULL, NULL, NULL, '\"s\"', 'null', '10000-01-01',"
                            + "  '24:00:00', '2026-11-30 10:00:00.123456', '2026-11-30 10:00:00.1234+05:30', NULL),"
                            + " (4, 7, 8, -0.5, true, 'x', 'it''s', NULL, NULL, NULL, NULL, NULL, '00:00:00.5',"
                            + "  '0001-01-01 00:00:00 BC', '2026-11-30 23:30:00.12-03:30', NULL),"
                            + " (5, 1, 2, 123456789012345678901234567890.1230, true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                            + "  '10000-01-01 00:00:00', '1999-12-31 23:59:59.999999+00', NULL),"
                            + " (6, 1, 2, -0.000000000, true, NULL, 'a?b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                    "INSERT INTO kinds (id, n) VALUES (7, 1e20), (8, 99.90), (9, -1000000)");
            try (Connection c = pg.dataSource().getConnection()) {
                assertThat(PostgresCopyOut.of(c, "kinds", new ArrayList<>(SqlTableColumns.of(
                        new io.tributary.sql.Jdbc(pg.dataSource()), "kinds", "table").values()))).isNotNull();
            }
            List<String> jdbc = jdbcLines(pg);
            assertThat(jdbc).hasSize(9);
            // one partition, then partitions by a value with a quote and a question mark in it
            String spec = "{\"source\":{\"dataSource\":\"pg\",\"table\":\"kinds\",\"keyColumn\":\"id\"},\"name\":\"";
            Backup.ofTable(dir, BackupSpec.parse(spec + "all\"}"), pg.dataSource()).run(new JobControl(0));
            assertThat(backedUp(dir.resolve("all"))).containsExactlyInAnyOrderElementsOf(jdbc);
            Backup.ofTable(dir, BackupSpec.parse(spec + "byv\",\"partitionBy\":{\"by\":\"value\",\"column\":\"v\"}}"),
                    pg.dataSource()).run(new JobControl(0));
            assertThat(BackupManifest.read(dir.resolve("byv")).partitions()).extracting(BackupManifest.Partition::name)
                    .containsExactly("null", "a?b", "it's");
            List<String> byValue = backedUp(dir.resolve("byv"));
            assertThat(byValue).containsExactlyInAnyOrderElementsOf(jdbc);
        }
    }

    private static List<String> jdbcLines(TestDatabase pg) throws Exception {
        List<SqlColumn> columns = new ArrayList<>(SqlTableColumns.of(new io.tributary.sql.Jdbc(pg.dataSource()), "kinds",
                "table").values());
        List<String> lines = new ArrayList<>();
        try (Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM kinds ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (JsonGenerator g = Json.MAPPER.createGenerator(bytes, JsonEncoding.UTF8)) {
                    g.writeStartObject();
                    for (int i = 0; i < columns.size(); i++) {
                        g.writeFieldName(columns.get(i).name());
                        columns.get(i).writeJson(g, rs, i + 1);
                    }
                    g.writeEndObject();
                }
                lines.add(bytes.toString(StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    /**
     * By day, the rows are read in one pass while there are at most {@link SqlBackupSource#ONE_PASS_FILES}
     * days whose dates have ISO names; otherwise (more days, a BC date, a NULL) the days are found first. Both
     * give each day its own rows, whatever order the table holds them in.
     */
    @Test
    void dayPartitionsReadInOnePassOrFoundFirstHoldEachDaysRows(@TempDir Path dir) throws Exception {
        try (TestDatabase pg = TestDatabase.create(Dialect.POSTGRESQL, "onepass")) {
            // ids cycle through the days, so consecutive rows of the table belong to different days
            pg.execute("CREATE TABLE ev (id int8 PRIMARY KEY, at timestamp, note text)",
                    "INSERT INTO ev SELECT g, TIMESTAMP '2026-11-01 12:00:00' + (g % 3) * INTERVAL '1 day', 'n' || g"
                            + " FROM generate_series(1, 3000) g");
            String spec = "{\"source\":{\"dataSource\":\"pg\",\"table\":\"ev\",\"keyColumn\":\"id\"},"
                    + "\"partitionBy\":{\"by\":\"day\",\"column\":\"at\"},\"name\":\"";
            JobControl control = new JobControl(0);
            Backup.ofTable(dir, BackupSpec.parse(spec + "three\"}"), pg.dataSource()).run(control);
            assertDays(pg, dir.resolve("three"), 3);
            assertThat(control.rowsDone()).isEqualTo(3000);
            assertThat(control.rowsTotal()).isEqualTo(3000);

            // more days than files open at once: found first, and nothing of the abandoned pass is left
            int days = SqlBackupSource.ONE_PASS_FILES + 4;
            pg.execute("INSERT INTO ev SELECT g, TIMESTAMP '2026-11-01 12:00:00' + (g % " + days + ") * INTERVAL '1 day', 'm'"
                    + " FROM generate_series(3001, 6000) g");
            Backup.ofTable(dir, BackupSpec.parse(spec + "many\"}"), pg.dataSource()).run(new JobControl(0));
            assertDays(pg, dir.resolve("many"), days);

            // a BC date has no ISO name: found first too
            pg.execute("INSERT INTO ev VALUES (7000, TIMESTAMP '0044-03-15 12:00:00 BC', 'bc')");
            Backup.ofTable(dir, BackupSpec.parse(spec + "bc\"}"), pg.dataSource()).run(new JobControl(0));
            assertDays(pg, dir.resolve("bc"), days + 1);

            // a row of no day: refused with the count, as when the days are found first
            pg.execute("INSERT INTO ev VALUES (7001, NULL, 'none'), (7002, NULL, 'none')");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backup.ofTable(dir, BackupSpec.parse(spec + "nulls\"}"),
                    pg.dataSource()).run(new JobControl(0))).hasMessageContaining("2 selected row(s) have no at");
            assertThat(dir.resolve("nulls")).doesNotExist();
            assertThat(dir.resolve(".nulls.partial")).doesNotExist();
        }
    }

    /** A BC month is not filed as the AD month of the same number (its ISO name is -0043-03). */
    @Test
    void aBcMonthIsAPartitionApartFromTheAdMonthOfTheSameNumber(@TempDir Path dir) throws Exception {
        try (TestDatabase pg = TestDatabase.create(Dialect.POSTGRESQL, "onepassbc")) {
            pg.execute("CREATE TABLE evm (id int8 PRIMARY KEY, at timestamp)",
                    "INSERT INTO evm VALUES (1, TIMESTAMP '0044-03-15 12:00:00 BC'), (2, TIMESTAMP '0044-03-20 12:00:00')");
            String spec = "{\"source\":{\"dataSource\":\"pg\",\"table\":\"evm\",\"keyColumn\":\"id\"},"
                    + "\"partitionBy\":{\"by\":\"month\",\"column\":\"at\"},\"name\":\"m\"}";
            Backup.ofTable(dir, BackupSpec.parse(spec), pg.dataSource()).run(new JobControl(0));
            assertThat(BackupManifest.read(dir.resolve("m")).partitions()).as("one partition per month, BC apart")
                    .hasSize(2);
        }
    }

    /** An empty table backed up whole keeps its one (empty) partition "all", as the plan-first path and a dry run give. */
    @Test
    void anEmptyTableBackedUpWholeHasItsEmptyPartitionAndRestores(@TempDir Path dir) throws Exception {
        try (TestDatabase pg = TestDatabase.create(Dialect.POSTGRESQL, "onepassempty")) {
            pg.execute("CREATE TABLE e (id int8 PRIMARY KEY, v text)");
            String spec = "{\"source\":{\"dataSource\":\"pg\",\"table\":\"e\",\"keyColumn\":\"id\"},\"name\":\"";
            BackupReport dry = Backup.ofTable(dir, BackupSpec.parse(spec + "d\",\"dryRun\":true}"), pg.dataSource())
                    .run(new JobControl(0));
            Backup.ofTable(dir, BackupSpec.parse(spec + "e\"}"), pg.dataSource()).run(new JobControl(0));
            pg.execute("CREATE TABLE e2 (id int8 PRIMARY KEY, v text)");
            // an empty table's backup restores (as it did when "all" was always listed)
            new Restore(dir, RestoreSpec.parse("{\"name\":\"e\",\"target\":{\"dataSource\":\"pg\",\"table\":\"e2\"}}"),
                    RestoreTarget.table(pg.dataSource(), "e2")).run(new JobControl(0));
            assertThat(BackupManifest.read(dir.resolve("e")).partitions()).extracting(BackupManifest.Partition::name)
                    .as("dry run listed %s", dry.partitions()).containsExactly("all");
        }
    }

    private static void assertDays(TestDatabase pg, Path backup, int days) throws IOException {
        BackupManifest manifest = BackupManifest.read(backup);
        assertThat(manifest.partitions()).hasSize(days);
        try (var files = Files.list(backup.resolve("partitions"))) {
            assertThat(files.count()).as("files in " + backup).isEqualTo(days);
        }
        long total = 0;
        for (BackupManifest.Partition p : manifest.partitions()) {
            List<String> ids = new ArrayList<>();
            try (var in = PartitionCompression.open(backup.resolve(p.file()))) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    ids.add(Json.MAPPER.readTree(line).path("id").asText());
                }
            }
            // an ISO date before year 1 (a BC one) starts with '-'
            String where = p.bounds().from().startsWith("-") ? "at < DATE '0001-01-01'"
                    : "CAST(at AS DATE) = DATE '" + p.bounds().from().substring(0, 10) + "'";
            List<String> expected = pg.query("SELECT id FROM ev WHERE " + where).stream()
                    .map(r -> String.valueOf(r.values().iterator().next())).toList();
            assertThat(ids).as(p.name()).hasSize((int) p.rows()).containsExactlyInAnyOrderElementsOf(expected);
            total += p.rows();
        }
        assertThat(total).isEqualTo(pg.query("SELECT id FROM ev WHERE at IS NOT NULL").size());
    }

    private static List<String> backedUp(Path backup) throws IOException {
        List<String> lines = new ArrayList<>();
        for (BackupManifest.Partition p : BackupManifest.read(backup).partitions()) {
            try (var in = PartitionCompression.open(backup.resolve(p.file()))) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).endsWith("\n");
                lines.addAll(List.of(text.substring(0, text.length() - 1).split("\n", -1)));
            }
        }
        return lines;
    }
}
