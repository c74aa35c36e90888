package io.tributary.twoway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.job.JobControl;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A PostgreSQL table ⇄ a MariaDB table, the state in an H2 central database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TablesPairTest {

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private TestDatabase pg;
    private TestDatabase maria;
    private TestDatabase central;
    private CollectionStore store;
    private static final int KEYS = 200;

    @BeforeAll
    void databases() {
        pg = TestDatabase.create(Dialect.POSTGRESQL, "two_way_pg");
        maria = TestDatabase.create(Dialect.MARIADB, "two_way_maria");
        central = TestDatabase.create(Dialect.H2, "two_way_central");
        store = CollectionStore.onJdbc(central.dataSource());
    }

    @AfterAll
    void drop() {
        pg.close();
        maria.close();
        central.close();
    }

    @BeforeEach
    void tables() {
        for (TestDatabase db : List.of(pg, maria)) {
            db.execute("DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS notes",
                    "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, changed_at " + db.dialect().timestampType()
                            + " NOT NULL, name VARCHAR(100), qty INT, amount DECIMAL(12,2), deleted INT NOT NULL DEFAULT 0)",
                    "CREATE INDEX items_changed ON items (changed_at)",
                    "CREATE TABLE notes (id BIGINT NOT NULL PRIMARY KEY, changed_at " + db.dialect().timestampType()
                            + " NOT NULL, body VARCHAR(100), deleted INT NOT NULL DEFAULT 0)");
        }
        central.execute("DROP TABLE IF EXISTS " + TwoWayState.TABLE);
    }

    private String spec(String tables, String extra) {
        return "{\"pair\": \"shop\", \"a\": {\"dataSource\": \"pg\"}, \"b\": {\"dataSource\": \"maria\"},"
                + " \"tables\": [" + tables + "], \"keyColumn\": \"id\", \"timestampColumn\": \"changed_at\","
                + " \"deletedColumn\": \"deleted\", \"safetyLagMs\": 200" + extra + "}";
    }

    private ObjectNode run(String json) {
        return run(json, UnaryOperator.identity());
    }

    private ObjectNode run(String json, UnaryOperator<TwoWayStore> sides) {
        Map<String, DataSource> beans = Map.of("pg", pg.dataSource(), "maria", maria.dataSource());
        TwoWayTask task = new TwoWayTask(TwoWaySpec.parse(json), store, beans::get, central.dataSource(), null, sides);
        task.validate();
        return task.run(new JobControl(0));
    }

    private static void write(TestDatabase db, long id, LocalDateTime at, String name, int qty, int deleted) {
        String values = "(?, ?, ?, ?, ?, ?)";
        String sql = db.dialect() == Dialect.POSTGRESQL
                ? "INSERT INTO items (id, changed_at, name, qty, amount, deleted) VALUES " + values + " ON CONFLICT (id) DO UPDATE SET"
                        + " changed_at = EXCLUDED.changed_at, name = EXCLUDED.name, qty = EXCLUDED.qty, amount = EXCLUDED.amount,"
                        + " deleted = EXCLUDED.deleted"
                : "INSERT INTO items (id, changed_at, name, qty, amount, deleted) VALUES " + values + " ON DUPLICATE KEY UPDATE"
                        + " changed_at = VALUES(changed_at), name = VALUES(name), qty = VALUES(qty), amount = VALUES(amount),"
                        + " deleted = VALUES(deleted)";
        db.update(sql, id, at, name, qty, new BigDecimal(qty).movePointLeft(2), deleted);
    }

    /** Each row as text: what both sides must agree on. */
    private static Map<Long, String> rows(TestDatabase db) {
        Map<Long, String> rows = new TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT id, changed_at, name, qty, amount, deleted FROM items")) {
            Object at = r.get("changed_at");
            LocalDateTime t = at instanceof java.sql.Timestamp ts ? ts.toLocalDateTime() : (LocalDateTime) at;
            rows.put(((Number) r.get("id")).longValue(), t + "|" + r.get("name") + "|" + r.get("qty") + "|"
                    + ((BigDecimal) r.get("amount")).toPlainString() + "|" + r.get("deleted"));
        }
        return rows;
    }

    private static LocalDateTime now() {
        return LocalDateTime.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void concurrentWritersOnBothSidesConvergeToTheNewestVersionOfEachKey() throws Exception {
        WritersDuringRuns.run(seed.value(), 4, (writer, random) -> write(writer % 2 == 0 ? pg : maria,
                1 + random.nextInt(KEYS), now(), "w" + random.nextInt(1000), random.nextInt(10000),
                random.nextInt(10) == 0 ? 1 : 0), () -> run(spec("\"items\"", "")));
        Map<Long, String> before = new TreeMap<>(rows(pg));
        rows(maria).forEach((id, row) -> before.merge(id, row, (x, y) -> x.compareTo(y) >= 0 ? x : y));

        // after the writers: one more run, over everything since the stored end
        ObjectNode last = run(spec("\"items\"", ", \"end\": \"" + now().plusHours(1) + "\""));

        Map<Long, String> a = rows(pg);
        Map<Long, String> b = rows(maria);
        assertEquals(a, b, "both sides hold the same rows; last run " + last);
        a.forEach((id, row) -> assertEquals(before.get(id).substring(0, 26), row.substring(0, 26),
                "key " + id + " holds its newest timestamp"));
        assertEquals(before.keySet(), a.keySet());
    }

    @Test
    void equalTimestampsWithDifferentContentConvergeToOneWinner() {
        LocalDateTime at = LocalDateTime.of(2026, 5, 1, 10, 0, 0, 500000000);
        for (int id = 1; id <= 20; id++) {
            write(pg, id, at, "pg-" + id, id, 0);
            write(maria, id, at, "maria-" + id, 100 + id, 0);
        }
        ObjectNode report = run(spec("\"items\"", ""));
        assertEquals(rows(pg), rows(maria));
        JsonNode first = report.path("directions").get(0);
        JsonNode second = report.path("directions").get(1);
        assertEquals(20, first.path("tiesResolved").asLong(), "each key is a tie: " + report);
        assertEquals(second.path("applied").asLong(), second.path("tiesResolved").asLong(),
                "back, only the keys whose MariaDB content won, and as ties: " + report);
        // the winner is the larger content hash, whichever side it came from
        for (Map<String, Object> r : pg.query("SELECT id, name FROM items")) {
            long id = ((Number) r.get("id")).longValue();
            String pgHash = hash("pg-" + id, id);
            String mariaHash = hash("maria-" + id, 100 + id);
            assertEquals(pgHash.compareTo(mariaHash) > 0 ? "pg-" + id : "maria-" + id, r.get("name"));
        }
    }

    private static String hash(String name, long qty) {
        ObjectNode doc = io.tributary.json.Json.MAPPER.createObjectNode().put("name", name).put("qty", qty).put("deleted", 0);
        doc.put("amount", new BigDecimal(qty).movePointLeft(2));
        return TwoWayVersion.contentHash(doc, List.of("amount", "deleted", "name", "qty"));
    }

    @Test
    void changingTheTableSelectionStartsAFreshState() {
        LocalDateTime old = LocalDateTime.of(2020, 1, 1, 0, 0);
        write(pg, 1, old, "old", 1, 0);
        ObjectNode first = run(spec("\"items\"", ""));
        assertTrue(first.path("freshState").asBoolean());
        assertEquals("1970-01-01T00:00", first.path("begin").asText());
        ObjectNode second = run(spec("\"items\"", ""));
        assertFalse(second.path("freshState").asBoolean());
        assertEquals(first.path("end").asText(), second.path("begin").asText());

        // notes joins the selection: its old rows must be read, so the pair starts at the epoch again
        pg.update("INSERT INTO notes (id, changed_at, body) VALUES (1, ?, 'old note')", old);
        ObjectNode widened = run(spec("\"items\", \"notes\"", ""));
        assertTrue(widened.path("freshState").asBoolean(), widened.toString());
        assertEquals("1970-01-01T00:00", widened.path("begin").asText());
        assertEquals(1, maria.count("SELECT COUNT(*) FROM notes WHERE body = 'old note'"));

        // a manual run over an explicit range does not move the stored end, unless asked
        long storedEnd = storedEnd();
        ObjectNode manual = run(spec("\"items\", \"notes\"", ", \"begin\": \"2019-01-01T00:00:00\", \"end\": \"2021-01-01T00:00:00\""));
        assertFalse(manual.path("endStored").asBoolean());
        assertEquals(storedEnd, storedEnd());
        run(spec("\"items\", \"notes\"", ", \"begin\": \"2019-01-01T00:00:00\", \"end\": \"2021-01-01T00:00:00\", \"storeEnd\": true"));
        assertEquals(TwoWayVersion.micros(LocalDateTime.of(2021, 1, 1, 0, 0)), storedEnd());
    }

    private long storedEnd() {
        return central.count("SELECT end_micros FROM " + TwoWayState.TABLE + " WHERE pair_name = 'shop'");
    }

    @Test
    void theStoredEndMovesOnlyAfterBothDirections() {
        LocalDateTime at = LocalDateTime.of(2026, 2, 1, 8, 0);
        write(pg, 1, at, "from-pg", 1, 0);
        write(maria, 2, at, "from-maria", 2, 0);
        write(maria, 3, at.plusSeconds(1), "deleted-in-maria", 3, 1);
        // the second direction (MariaDB -> PostgreSQL) fails: PostgreSQL is written only then
        UnaryOperator<TwoWayStore> failing = s -> s.name().startsWith("pg:") ? new TwoWayStore() {
            public String name() { return s.name(); }
            public java.util.Optional<LocalDateTime> settled(long lagMs) { return s.settled(lagMs); }
            public List<TwoWayRow> changed(LocalDateTime after, LocalDateTime upTo, TwoWayRow cursor, int limit) {
                return s.changed(after, upTo, cursor, limit);
            }
            public Applied apply(List<TwoWayRow> rows) { throw new IllegalStateException("simulated failure writing PostgreSQL"); }
        } : s;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(spec("\"items\"", ""), failing));
        assertEquals("simulated failure writing PostgreSQL", e.getMessage());
        assertEquals(0, central.count("SELECT COUNT(*) FROM " + TwoWayState.TABLE));
        assertEquals(1, maria.count("SELECT COUNT(*) FROM items WHERE name = 'from-pg'"), "the first direction was done");

        ObjectNode next = run(spec("\"items\"", ""));
        assertEquals("1970-01-01T00:00", next.path("begin").asText(), "the next run starts where the failed one did");
        assertTrue(next.path("endStored").asBoolean());
        assertEquals(rows(pg), rows(maria));
        assertEquals(1, next.path("directions").get(1).path("tombstonesApplied").asLong(), next.toString());
        assertEquals(1, pg.count("SELECT COUNT(*) FROM items WHERE deleted = 1"));
    }

    @Test
    void aTransactionStillRunningOnPostgresHoldsTheEndBackUntilItCommits() throws Exception {
        String noLag = spec("\"items\"", "").replace("\"safetyLagMs\": 200", "\"safetyLagMs\": 0");
        LocalDateTime started;
        try (java.sql.Connection c = pg.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.Statement s = c.createStatement()) {
                // the database sets the timestamp: the transaction's start
                s.execute("INSERT INTO items (id, changed_at, name, qty, amount, deleted) VALUES (500, LOCALTIMESTAMP, 'late', 1, 0.01, 0)");
                try (java.sql.ResultSet rs = s.executeQuery("SELECT LOCALTIMESTAMP")) {
                    rs.next();
                    started = rs.getTimestamp(1).toLocalDateTime();
                }
            }
            write(pg, 501, now(), "committed meanwhile", 1, 0);
            ObjectNode during = run(noLag);
            assertTrue(LocalDateTime.parse(during.path("end").asText()).isBefore(started), during + " ends before " + started);
            c.commit();
        }
        ObjectNode after = run(noLag);
        assertEquals(1, maria.count("SELECT COUNT(*) FROM items WHERE id = 500 AND name = 'late'"), after.toString());
        assertEquals(1, maria.count("SELECT COUNT(*) FROM items WHERE id = 501"), after.toString());
    }

    @Test
    void aSchemaSelectionTakesEveryTableOfIt() {
        write(pg, 1, LocalDateTime.of(2026, 1, 1, 0, 0), "in items", 1, 0);
        pg.update("INSERT INTO notes (id, changed_at, body) VALUES (1, ?, 'in notes')", LocalDateTime.of(2026, 1, 1, 0, 0));
        String json = "{\"pair\": \"all\", \"a\": {\"dataSource\": \"pg\"}, \"b\": {\"dataSource\": \"maria\"},"
                + " \"schema\": \"public\", \"keyColumn\": \"id\", \"timestampColumn\": \"changed_at\", \"deletedColumn\": \"deleted\"}";
        Map<String, DataSource> beans = Map.of("pg", pg.dataSource(), "maria", maria.dataSource());
        TwoWayTask task = new TwoWayTask(TwoWaySpec.parse(json), store, beans::get, central.dataSource(), null,
                UnaryOperator.identity());
        task.validate();
        assertEquals("[\"public.items\",\"public.notes\"]", task.describe().path("resolvedTables").toString());
        task.run(new JobControl(0));
        assertEquals(1, maria.count("SELECT COUNT(*) FROM items WHERE name = 'in items'"));
        assertEquals(1, maria.count("SELECT COUNT(*) FROM notes WHERE body = 'in notes'"));
    }
}
