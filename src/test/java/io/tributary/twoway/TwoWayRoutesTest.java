package io.tributary.twoway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** POST /api/two-way/jobs and the route template tributary-two-way, in the real app. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoWayRoutesTest {

    private TestDatabase central;
    private TestDatabase shop;
    private TributaryApp app;
    private CentralClient client;
    private Path routes;

    @BeforeAll
    void start() throws Exception {
        central = TestDatabase.create(Dialect.H2, "two_way_app");
        shop = TestDatabase.create(Dialect.POSTGRESQL, "two_way_shop");
        shop.execute("CREATE TABLE orders (id BIGINT NOT NULL PRIMARY KEY, changed_at TIMESTAMP(6) NOT NULL,"
                        + " customer VARCHAR(40), total DECIMAL(10,2), deleted INT NOT NULL DEFAULT 0)",
                "INSERT INTO orders VALUES (1, '2026-11-30 10:00:00.000001', 'ann', 12.50, 0),"
                        + " (2, '2026-11-30 10:00:00.000002', 'bob', 7.25, 1)",
                "CREATE TABLE secrets (id BIGINT NOT NULL PRIMARY KEY, changed_at TIMESTAMP(6) NOT NULL)",
                "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, changed_at TIMESTAMP(6) NOT NULL, name VARCHAR(40))",
                "INSERT INTO items VALUES (7, '2026-11-30 09:00:00', 'pen')");
        routes = Files.createTempDirectory("two-way-routes");
        Files.writeString(routes.resolve("items-two-way.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: tributary-two-way
                    routeId: items-two-way
                    parameters:
                      - { name: pair, value: items }
                      - { name: aDataSource, value: shopDb }
                      - { name: tables, value: items }
                      - { name: prefix, value: "shop_" }
                      - { name: keyColumn, value: id }
                      - { name: timestampColumn, value: changed_at }
                      - { name: safetyLagMs, value: "1000" }
                      - { name: schedule, value: "timer:items-two-way?repeatCount=1&delay=100" }
                """);
        int port = TributaryApp.freePort();
        app = TributaryApp.builder().properties(central.beanProperties("centralDb")).properties(shop.beanProperties("shopDb"))
                .property("camel.server.port", "" + port)
                .property("tributary.two-way.sql-tables.shopDb.tables", "orders,items")
                .property("tributary.two-way.collections", "shop_orders,shop_items")
                .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml", "file:routes/two-way.camel.yaml",
                        "file:routes/two-way-template.camel.yaml", "file:" + routes.toAbsolutePath() + "/*.yaml")
                .start();
        client = new CentralClient(port);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        central.close();
        shop.close();
    }

    @Test
    void aJobOverHttpSyncsBothWaysAndReports() {
        String body = "{\"pair\": \"shop\", \"a\": {\"dataSource\": \"shopDb\"}, \"b\": {\"collections\": true},"
                + " \"tables\": [\"orders\"], \"mapping\": {\"prefix\": \"shop_\"}, \"keyColumn\": \"id\","
                + " \"timestampColumn\": \"changed_at\", \"deletedColumn\": \"deleted\"}";
        var r = client.post("/api/two-way/jobs?wait=true", body);
        System.out.println("TWO-WAY JOB " + r.body());
        assertEquals(200, r.status(), r.body());
        JsonNode job = r.json();
        assertEquals("succeeded", job.path("status").asText(), r.body());
        assertEquals("two-way", job.path("kind").asText());
        JsonNode there = job.path("result").path("directions").get(0);
        assertEquals(2, there.path("read").asLong());
        assertEquals(2, there.path("applied").asLong());
        assertEquals(1, there.path("tombstonesApplied").asLong());
        var doc = client.get("/_api/document/shop_orders/1");
        System.out.println("TWO-WAY DOC " + doc.body());
        assertTrue(doc.body().contains("\"customer\":\"ann\""), doc.body());

        var again = client.post("/api/two-way/jobs?wait=true", body);
        System.out.println("TWO-WAY AGAIN " + again.body());
        assertEquals(0, again.json().path("result").path("directions").get(0).path("read").asLong(), again.body());
    }

    @Test
    void tablesAndCollectionsMustBeListed() {
        var r = client.post("/api/two-way/jobs", "{\"pair\": \"x\", \"a\": {\"dataSource\": \"shopDb\"}, \"b\": {\"collections\": true},"
                + " \"tables\": [\"secrets\"], \"keyColumn\": \"id\", \"timestampColumn\": \"changed_at\"}");
        System.out.println("TWO-WAY REFUSED " + r.body());
        assertEquals(403, r.status(), r.body());
        assertTrue(r.body().contains("table 'secrets' of DataSource 'shopDb' is not a two-way table: add it to"
                + " tributary.two-way.sql-tables.shopDb.tables"), r.body());
        var catalog = client.post("/api/two-way/jobs", "{\"pair\": \"x\", \"a\": {\"dataSource\": \"shopDb\"},"
                + " \"b\": {\"collections\": true}, \"tables\": [\"pg_catalog.pg_authid\"], \"keyColumn\": \"id\","
                + " \"timestampColumn\": \"changed_at\"}");
        assertEquals(403, catalog.status(), catalog.body());
        var bad = client.post("/api/two-way/jobs", "{\"pair\": \"x\", \"a\": {\"dataSource\": \"shopDb\"}, \"b\": {\"collections\": true},"
                + " \"tables\": [\"orders\"], \"keyColumn\": \"id\", \"timestampColumn\": \"changed_at\", \"safetyLagMs\": \"soon\"}");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("'safetyLagMs' must be a whole number, not 'soon'"), bad.body());
    }

    /** A misspelled nested field or query parameter is named in a 400, not ignored (it was: a 403 or a 202). */
    @Test
    void misspelledNestedFieldsAndQueryParametersAreRefused() {
        String body = "{\"pair\": \"shop\", \"a\": {\"dataSource\": \"shopDb\"}, \"b\": {\"collections\": true},"
                + " \"tables\": [\"orders\"], \"mapping\": {\"prefix\": \"shop_\"}, \"keyColumn\": \"id\","
                + " \"timestampColumn\": \"changed_at\"}";
        assertRefused(client.post("/api/two-way/jobs", body.replace("\"prefix\"", "\"prefx\"")), "unknown field 'mapping.prefx'");
        assertRefused(client.post("/api/two-way/jobs", body.replace("\"collections\": true", "\"collections\": true, \"databse\": \"x\"")),
                "unknown field 'b.databse'");
        assertRefused(client.post("/api/two-way/jobs", body.replace("{\"dataSource\": \"shopDb\"}", "{\"dataSource\": \"shopDb\", \"schema\": \"s\"}")),
                "unknown field 'a.schema'");
        assertRefused(client.post("/api/two-way/jobs?wiat=true", body), "unknown query parameter 'wiat'; known: wait");
        assertRefused(client.get("/api/two-way/jobs?limit=5"), "unknown query parameter 'limit'; known: none");
        assertRefused(client.get("/api/jobs?knd=two-way"), "unknown query parameter 'knd'; known: kind");
        assertRefused(client.method("DELETE", "/api/jobs/00000000-0000-0000-0000-000000000000?force=true"), "unknown query parameter 'force'; known: none");
    }

    private static void assertRefused(CentralClient.Response r, String message) {
        assertEquals(400, r.status(), r.body());
        assertEquals(message, r.json().path("errorMessage").asText(), r.body());
    }

    @Test
    void theRouteTemplateRunsAPairOnItsSchedule() {
        Await.until("the template's run", Duration.ofSeconds(30), () -> client.get("/_api/document/shop_items/7").status() == 200);
        var jobs = client.get("/api/jobs?kind=two-way");
        System.out.println("TWO-WAY JOBS " + jobs.body());
        assertTrue(jobs.body().contains("\"pair\":\"items\""), jobs.body());
    }
}
