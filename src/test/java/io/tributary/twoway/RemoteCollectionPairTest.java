package io.tributary.twoway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CentralClient;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A PostgreSQL table of node A ⇄ a collection of node B, over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteCollectionPairTest {

    private static final String[] ROUTES = {"file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
            "file:routes/two-way.camel.yaml"};

    private TestDatabase centralA;
    private TestDatabase centralB;
    private TestDatabase shop;
    private TributaryApp a;
    private TributaryApp b;
    private CentralClient clientA;
    private CentralClient clientB;
    private String urlB;

    @BeforeAll
    void start() {
        centralA = TestDatabase.create(Dialect.H2, "remote_a");
        centralB = TestDatabase.create(Dialect.MARIADB, "remote_b");
        shop = TestDatabase.create(Dialect.POSTGRESQL, "remote_shop");
        shop.execute("CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, changed_at TIMESTAMP(6) NOT NULL,"
                        + " customer VARCHAR(40), deleted INT NOT NULL DEFAULT 0)",
                "INSERT INTO orders VALUES (1, '2026-11-30 10:00:00', 'ann', 0), (2, '2026-11-30 10:00:01', 'bob', 1)");
        int portB = TributaryApp.freePort();
        urlB = "http://127.0.0.1:" + portB;
        b = TributaryApp.builder().properties(centralB.beanProperties("centralDb")).property("camel.server.port", "" + portB)
                .property("tributary.central.username", "nodeb").property("tributary.central.password", "pw-b")
                .routes(ROUTES).start();
        int portA = TributaryApp.freePort();
        a = TributaryApp.builder().properties(centralA.beanProperties("centralDb")).properties(shop.beanProperties("shopDb"))
                .property("camel.server.port", "" + portA)
                .property("tributary.two-way.sql-tables.shopDb.tables", "orders")
                .property("tributary.sync.peers", urlB)
                .routes(ROUTES).start();
        clientA = new CentralClient(portA);
        clientB = new CentralClient(portB).credentials("nodeb", "pw-b");
    }

    @AfterAll
    void stop() {
        for (TributaryApp app : new TributaryApp[] {a, b}) {
            if (app != null) {
                app.close();
            }
        }
        centralA.close();
        centralB.close();
        shop.close();
    }

    private JsonNode run(String url) {
        var r = clientA.post("/api/two-way/jobs?wait=true", "{\"pair\": \"remote\", \"a\": {\"dataSource\": \"shopDb\"},"
                + " \"b\": {\"url\": \"" + url + "\", \"username\": \"nodeb\", \"password\": \"pw-b\"},"
                + " \"tables\": [\"orders\"], \"mapping\": {\"prefix\": \"a_\"}, \"keyColumn\": \"id\","
                + " \"timestampColumn\": \"changed_at\", \"deletedColumn\": \"deleted\", \"safetyLagMs\": 0}");
        System.out.println("TWO-WAY REMOTE " + r.body());
        return r.status() == 200 ? r.json() : Json.MAPPER.createObjectNode().put("status", r.status()).put("body", r.body());
    }

    @Test
    void aTableAndAnotherNodesCollectionConverge() {
        JsonNode first = run(urlB);
        assertEquals("succeeded", first.path("status").asText(), first.toString());
        assertTrue(!first.toString().contains("pw-b"), "no password in the job: " + first);
        var doc = clientB.get("/_api/document/a_orders/1");
        assertEquals(200, doc.status(), doc.body());
        assertTrue(doc.body().contains("\"customer\":\"ann\""), doc.body());
        assertEquals(1, first.path("result").path("directions").get(0).path("tombstonesApplied").asLong(), first.toString());

        // an application on node B changes a document now, with the two-way version of its time
        LocalDateTime later = LocalDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        ObjectNode changed = Json.MAPPER.createObjectNode().put("_key", "1").put("id", 1).put("changed_at", later.toString())
                .put("customer", "ann-from-b").put("deleted", 0);
        changed.put("_version", TwoWayVersion.of(later, changed, List.of("customer", "deleted")));
        var imported = clientB.post("/_api/import?collection=a_orders&type=array&onDuplicate=replace&versionAttribute=_version"
                + "&complete=true", "[" + changed + "]");
        assertEquals(201, imported.status(), imported.body());

        JsonNode second = run(urlB);
        assertEquals("succeeded", second.path("status").asText(), second.toString());
        assertEquals(1, shop.count("SELECT COUNT(*) FROM orders WHERE customer = 'ann-from-b'"), second.toString());
    }

    @Test
    void onlyConfiguredPeersAreReached() {
        JsonNode refused = run("http://127.0.0.1:1");
        assertEquals(403, refused.path("status").asInt(), refused.toString());
        assertTrue(refused.path("body").asText().contains("b.url 'http://127.0.0.1:1' is not a configured peer node"),
                refused.toString());
    }
}
