package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A SQL table on MariaDB (integer key) as the source, a central collection on PostgreSQL as the target. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlTableMariaDbToPostgresTest {

    static final int ROWS = 5000;

    TestDatabase shop;
    SyncNode target;

    @BeforeAll
    void start() {
        shop = TestDatabase.create(Dialect.MARIADB, "shop");
        shop.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, price DECIMAL(10,2),"
                + " tag VARCHAR(20) NULL, updated DATETIME(3)) DEFAULT CHARSET=utf8mb4");
        StringBuilder insert = new StringBuilder();
        for (int i = 1; i <= ROWS; i++) {
            insert.append(insert.length() == 0 ? "INSERT INTO items VALUES " : ",")
                    .append("(").append(i).append(",'item ").append(i).append("',").append(i % 97).append(".25,")
                    .append(i % 3 == 0 ? "NULL" : "'t" + (i % 5) + "'").append(",'2026-01-02 03:04:05.678')");
            if (i % 1000 == 0) {
                shop.execute(insert.toString());
                insert.setLength(0);
            }
        }
        java.util.Map<String, String> config = new java.util.HashMap<>(shop.beanProperties("shopDb"));
        config.put("tributary.sync.sql-sources.shopDb.tables", "items");
        // listed so that the checks behind the allow-list are reached: into itself, no such bean
        config.put("tributary.sync.sql-sources.centralDb.tables", io.tributary.central.JdbcCollectionStore.tableName("_system", "items")
                + ",tributary_sources");
        config.put("tributary.sync.sql-sources.nope.tables", "t");
        target = new SyncNode(Dialect.POSTGRESQL, "sqltgt", "pw-target", config);
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
        if (shop != null) {
            shop.close();
        }
    }

    private String spec(String options) {
        return "{\"source\":{\"dataSource\":\"shopDb\",\"table\":\"items\",\"keyColumn\":\"id\"},"
                + "\"target\":{\"collection\":\"items\"}" + options + "}";
    }

    @Test
    void fullThenIncrementalFromASqlTable() {
        JsonNode full = target.syncAndWait(spec(""));
        assertThat(full.path("status").asText()).as(full.toString()).isEqualTo("succeeded");
        assertThat(target.count("items")).isEqualTo(ROWS);
        JsonNode doc = target.client().get("/_api/document/items/17").json();
        assertThat(doc.path("name").asText()).isEqualTo("item 17");
        assertThat(doc.path("price").decimalValue()).isEqualByComparingTo("17.25");
        assertThat(doc.path("updated").asText()).startsWith("2026-01-02T03:04:05.678");

        // 10 updates, 10 deletes, 10 inserts at the source, in different key ranges
        shop.execute("UPDATE items SET name = CONCAT(name, ' v2') WHERE id IN (5, 6, 7, 1500, 1501, 2500, 3500, 3501, 4999, 5000)",
                "DELETE FROM items WHERE id IN (100, 101, 102, 2000, 2001, 2002, 3000, 4000, 4001, 4002)");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            values.add("(" + (ROWS + 1 + i) + ",'new " + i + "',1.00,NULL,NULL)");
        }
        shop.execute("INSERT INTO items VALUES " + String.join(",", values));

        JsonNode dry = target.syncAndWait(spec(",\"incremental\":true,\"dryRun\":true"));
        assertThat(dry.at("/result/rowsTransferred").asLong()).as(dry.toString()).isEqualTo(20);
        assertThat(target.count("items")).isEqualTo(ROWS);

        JsonNode inc = target.syncAndWait(spec(",\"incremental\":true"));
        assertThat(inc.path("status").asText()).as(inc.toString()).isEqualTo("succeeded");
        assertThat(inc.at("/result/rowsTransferred").asLong()).as(inc.toString()).isEqualTo(20);
        assertThat(inc.at("/result/rowsDeleted").asLong()).as(inc.toString()).isEqualTo(10);
        assertThat(target.count("items")).isEqualTo(ROWS);
        assertThat(target.client().get("/_api/document/items/1500").json().path("name").asText()).isEqualTo("item 1500 v2");
        assertThat(target.client().get("/_api/document/items/100").status()).isEqualTo(404);

        // a full sync of the converged target changes nothing, an incremental one compares only
        JsonNode again = target.syncAndWait(spec(",\"incremental\":true"));
        assertThat(again.at("/result/rowsTransferred").asLong()).isZero();
        assertThat(again.at("/result/chunksDiffering").asLong()).isZero();
    }

    @Test
    void theCentralDatabaseCannotBeItsOwnSource() {
        var r = target.client().post("/api/sync/jobs", "{\"source\":{\"dataSource\":\"centralDb\",\"table\":\""
                + io.tributary.central.JdbcCollectionStore.tableName("_system", "items") + "\",\"keyColumn\":\"_key\"},"
                + "\"target\":{\"collection\":\"items\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("itself");
        var registry = target.client().post("/api/sync/jobs", "{\"source\":{\"dataSource\":\"centralDb\",\"table\":"
                + "\"tributary_sources\",\"keyColumn\":\"source\"},\"target\":{\"collection\":\"copied\"}}");
        assertThat(registry.status()).as(registry.body()).isEqualTo(400);
        assertThat(registry.body()).contains("refusing to read table 'tributary_sources': it belongs to the central store itself");
        var unknown = target.client().post("/api/sync/jobs", "{\"source\":{\"dataSource\":\"nope\",\"table\":\"t\","
                + "\"keyColumn\":\"id\"},\"target\":{\"collection\":\"items\"}}");
        assertThat(unknown.status()).isEqualTo(400);
    }
}
