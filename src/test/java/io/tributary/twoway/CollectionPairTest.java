package io.tributary.twoway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A PostgreSQL table ⇄ a central collection of this node stored on MariaDB (the pair's state there too). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectionPairTest {

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private static final int KEYS = 200;
    private static final List<String> CONTENT = List.of("deleted", "name", "qty");

    private TestDatabase pg;
    private TestDatabase central;
    private CollectionStore store;

    @BeforeAll
    void databases() {
        pg = TestDatabase.create(Dialect.POSTGRESQL, "two_way_pg");
        central = TestDatabase.create(Dialect.MARIADB, "two_way_central");
        store = CollectionStore.onJdbc(central.dataSource());
        pg.execute("CREATE TABLE people (id VARCHAR(40) NOT NULL PRIMARY KEY, changed_at TIMESTAMP(6) NOT NULL,"
                        + " name VARCHAR(100), qty INT, deleted INT NOT NULL DEFAULT 0)",
                "CREATE INDEX people_changed ON people (changed_at)");
    }

    @AfterAll
    void drop() {
        pg.close();
        central.close();
    }

    private ObjectNode run(String extra) {
        String json = "{\"pair\": \"crm\", \"a\": {\"dataSource\": \"pg\"}, \"b\": {\"collections\": true},"
                + " \"tablePattern\": \"peop%\", \"mapping\": {\"prefix\": \"crm_\"}, \"keyColumn\": \"id\","
                + " \"timestampColumn\": \"changed_at\", \"deletedColumn\": \"deleted\", \"safetyLagMs\": 200" + extra + "}";
        Map<String, DataSource> beans = Map.of("pg", pg.dataSource());
        TwoWayTask task = new TwoWayTask(TwoWaySpec.parse(json), store, beans::get, central.dataSource(), null,
                UnaryOperator.identity());
        task.validate();
        return task.run(new JobControl(0));
    }

    private static void writeRow(TestDatabase db, String id, LocalDateTime at, String name, int qty, int deleted) {
        db.update("INSERT INTO people (id, changed_at, name, qty, deleted) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
                + " SET changed_at = EXCLUDED.changed_at, name = EXCLUDED.name, qty = EXCLUDED.qty, deleted = EXCLUDED.deleted",
                id, at, name, qty, deleted);
    }

    /** What an application writing the collection does: a versioned write whose version is the two-way version. */
    private static void writeDocument(StoredCollection c, String id, LocalDateTime at, String name, int qty, int deleted) {
        ObjectNode doc = Json.MAPPER.createObjectNode().put("_key", id).put("id", id).put("changed_at", at.toString())
                .put("name", name).put("qty", qty).put("deleted", deleted);
        var version = TwoWayVersion.of(at, doc, CONTENT);
        c.upsert(List.of(new VersionedDocument(id, version, doc.put("_version", version).toString())));
    }

    private Map<String, String> tableRows() {
        Map<String, String> rows = new TreeMap<>();
        for (Map<String, Object> r : pg.query("SELECT id, changed_at, name, qty, deleted FROM people")) {
            rows.put((String) r.get("id"), ((java.sql.Timestamp) r.get("changed_at")).toLocalDateTime() + "|" + r.get("name")
                    + "|" + r.get("qty") + "|" + r.get("deleted"));
        }
        return rows;
    }

    private Map<String, String> collectionRows() {
        Map<String, String> rows = new TreeMap<>();
        StoredCollection c = store.collection("_system", "crm_people", true);
        for (VersionedDocument d : c.versionRange(java.math.BigInteger.ZERO, TwoWayVersion.highest(Long.MAX_VALUE / 1000),
                null, null, 100_000)) {
            JsonNode doc = Json.MAPPER.valueToTree(parse(d.json()));
            rows.put(d.key(), TwoWayVersion.timeOf(d.version()) + "|" + doc.path("name").asText() + "|"
                    + doc.path("qty").asInt() + "|" + doc.path("deleted").asInt());
        }
        return rows;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static LocalDateTime now() {
        return LocalDateTime.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void concurrentWritersOnTableAndCollectionConverge() throws Exception {
        StoredCollection collection = store.collection("_system", "crm_people", true);
        WritersDuringRuns.run(seed.value(), 4, (writer, random) -> {
            String id = "p" + (1 + random.nextInt(KEYS));
            int deleted = random.nextInt(10) == 0 ? 1 : 0;
            if (writer % 2 == 0) {
                writeRow(pg, id, now(), "t" + random.nextInt(1000), random.nextInt(10000), deleted);
            } else {
                writeDocument(collection, id, now(), "c" + random.nextInt(1000), random.nextInt(10000), deleted);
            }
        }, () -> run(""));
        Map<String, String> newest = new TreeMap<>(tableRows());
        collectionRows().forEach((id, row) -> newest.merge(id, row, (x, y) -> x.compareTo(y) >= 0 ? x : y));

        ObjectNode last = run(", \"end\": \"" + now().plusHours(1) + "\"");

        Map<String, String> table = tableRows();
        assertEquals(table, collectionRows(), "table and collection hold the same rows; last run " + last);
        assertEquals(newest.keySet(), table.keySet());
        table.forEach((id, row) -> assertEquals(newest.get(id).substring(0, 26), row.substring(0, 26), "key " + id));
    }

    @Test
    void equalTimestampsWithDifferentContentConvergeToTheLargerHash() {
        StoredCollection collection = store.collection("_system", "crm_people", true);
        LocalDateTime at = LocalDateTime.of(2025, 7, 1, 9, 30, 0, 250000000);
        for (int i = 1; i <= 10; i++) {
            writeRow(pg, "tie" + i, at, "table-" + i, i, 0);
            writeDocument(collection, "tie" + i, at, "collection-" + i, 50 + i, 0);
        }
        run(", \"begin\": \"2025-07-01T00:00:00\", \"end\": \"2025-07-02T00:00:00\"");
        Map<String, String> table = tableRows();
        Map<String, String> docs = collectionRows();
        for (int i = 1; i <= 10; i++) {
            String fromTable = TwoWayVersion.contentHash(Json.MAPPER.createObjectNode().put("deleted", 0).put("name", "table-" + i)
                    .put("qty", i), CONTENT);
            String fromCollection = TwoWayVersion.contentHash(Json.MAPPER.createObjectNode().put("deleted", 0)
                    .put("name", "collection-" + i).put("qty", 50 + i), CONTENT);
            String winner = fromTable.compareTo(fromCollection) > 0 ? "table-" + i : "collection-" + i;
            assertEquals(docs.get("tie" + i), table.get("tie" + i));
            assertTrue(table.get("tie" + i).contains("|" + winner + "|"), table.get("tie" + i) + " should hold " + winner);
        }
    }
}
