package io.tributary.twoway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import io.tributary.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The one conditional statement per dialect: newer wins, older is skipped, a tie goes to the larger content hash. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NewerWinsUpsertContract {

    abstract Dialect dialect();

    private TestDatabase db;
    private SqlTableStore table;
    private static final LocalDateTime T = LocalDateTime.of(2026, 3, 1, 12, 0, 0, 123456000);

    @BeforeAll
    void createTable() {
        db = TestDatabase.create(dialect(), "newer_wins");
        db.execute("CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, changed_at " + dialect().timestampType()
                + ", name VARCHAR(100), qty INT, amount DECIMAL(12,2), deleted INT)");
        table = new SqlTableStore("db", new Jdbc(db.dataSource()), "items", "id", "changed_at", "deleted");
    }

    @AfterAll
    void drop() {
        db.close();
    }

    private static TwoWayRow row(long id, LocalDateTime at, String name, Integer qty, String amount, int deleted) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("changed_at", at);
        v.put("name", name);
        v.put("qty", qty);
        v.put("amount", amount == null ? null : new BigDecimal(amount));
        v.put("deleted", deleted);
        ObjectNode doc = Json.MAPPER.createObjectNode().put("name", name).put("qty", qty).put("deleted", deleted);
        doc.put("amount", amount == null ? null : new BigDecimal(amount));
        String hash = TwoWayVersion.contentHash(doc, List.of("amount", "deleted", "name", "qty"));
        return new TwoWayRow(id, at, hash, v);
    }

    private Map<String, Object> stored(long id) {
        return db.query("SELECT name, qty, amount, deleted, changed_at FROM items WHERE id = ?", id).get(0);
    }

    @Test
    void newerWinsOlderIsSkippedTiesGoToTheLargerHash() {
        assertEquals(new TwoWayStore.Applied(2, 0, 0, 1), table.apply(List.of(row(1, T, "first", 1, "12.50", 0),
                row(2, T, "gone", null, null, 1))));
        assertEquals(new TwoWayStore.Applied(0, 1, 0, 0), table.apply(List.of(row(1, T.minusNanos(1000), "older", 2, "1.00", 0))));
        assertEquals("first", stored(1).get("name"));
        assertEquals(new TwoWayStore.Applied(1, 0, 0, 0), table.apply(List.of(row(1, T.plusSeconds(1), "newer", 3, "2.00", 0))));
        assertEquals("newer", stored(1).get("name"));

        // same time, other content: the larger content hash wins, and the whole row comes with it
        TwoWayRow x = row(1, T.plusSeconds(1), "tie-x", 7, "7.70", 0);
        TwoWayRow y = row(1, T.plusSeconds(1), "tie-y", 8, "8.80", 0);
        TwoWayRow stored = table.changed(T, T.plusSeconds(1), null, 10).stream().filter(r -> r.key().equals(1L)).findFirst().orElseThrow();
        TwoWayRow winner = List.of(x, y, stored).stream().max((a, b) -> a.hash().compareTo(b.hash())).orElseThrow();
        table.apply(List.of(x));
        table.apply(List.of(y));
        assertEquals(winner.values().get("name"), stored(1).get("name"));
        assertEquals(winner.values().get("qty"), ((Number) stored(1).get("qty")) == null ? null : ((Number) stored(1).get("qty")).intValue());
        TwoWayStore.Applied again = table.apply(List.of(winner == x ? y : x));
        assertEquals(new TwoWayStore.Applied(0, 1, 1, 0), again);
    }

    @Test
    void theDatabaseHashesContentAsTwoWayVersionDoes() {
        TwoWayRow r = row(10, T, "Grüße, ü|:-", 42, "1234.50", 0);
        TwoWayRow nulls = row(11, T, null, null, null, 0);
        table.apply(List.of(r, nulls));
        List<TwoWayRow> read = table.changed(T.minusSeconds(1), T, null, 100);
        assertEquals(r.hash(), read.stream().filter(x -> x.key().equals(10L)).findFirst().orElseThrow().hash());
        assertEquals(nulls.hash(), read.stream().filter(x -> x.key().equals(11L)).findFirst().orElseThrow().hash());
    }
}
