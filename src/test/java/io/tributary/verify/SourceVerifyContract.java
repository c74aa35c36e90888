package io.tributary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Verify and repair against the real product: the source template, the central import endpoint and the
 * verify routes in one node (with a central password, so verify authenticates like the source), the central
 * store and the source tables on the database of the subclass. The central documents are damaged with SQL,
 * straight in the central store, and verify must name exactly the damaged keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SourceVerifyContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "verify-secret";
    private static final int ITEMS = 2500;

    private TestDatabase db;
    private TributaryApp app;
    private String url;
    private final HttpClient http = HttpClient.newHttpClient();

    abstract Dialect dialect();

    @BeforeAll
    void start() throws Exception {
        db = TestDatabase.create(dialect(), "verify");
        String ts = dialect().timestampType();
        db.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL, qty INT, price DECIMAL(10,2),"
                        + " created " + ts + ")",
                "CREATE TABLE docs (id VARCHAR(20) PRIMARY KEY, body VARCHAR(100), updated_at " + ts + ")",
                "CREATE TABLE chg (id " + db.identityKey() + ", what VARCHAR(50))");
        insertItems(1, ITEMS);
        int port = TributaryApp.freePort();
        url = "http://127.0.0.1:" + port;
        Path dir = Files.createTempDirectory("tributary-verify-");
        Map<String, String> items = source("items", "items");
        items.put("mode", "incrementing");
        items.put("batchSize", "500");
        // a placeholder, as a real secret would be given: verify resolves it like the source does
        items.put("centralPassword", "{{verify.test.password}}");
        // one run at start drains the table; rows inserted later stay after the watermark (pending)
        items.put("poll", "timer:tributary-items?period=3600000&delay=100");
        SourceApp.writeSourceFile(dir, items);
        Map<String, String> docs = source("docs", "docs");
        docs.put("mode", "timestamp");
        docs.put("timestampColumn", "updated_at");
        // rows written "now" stay inside the lag for the whole test: they are pending
        docs.put("safetyLagMs", "600000");
        SourceApp.writeSourceFile(dir, docs);
        SourceApp.writeSourceFile(dir, source("chg", "chg"));
        app = TributaryApp.builder()
                .property("camel.server.port", String.valueOf(port))
                .property("tributary.central.password", PASSWORD)
                .property("verify.test.password", PASSWORD)
                .properties(db.beanProperties("centralDb"))
                .properties(db.beanProperties("sourceDb"))
                .property("camel.main.routes-include-pattern", "file:routes/central-import.camel.yaml,"
                        + "file:routes/change-source-template.camel.yaml,file:routes/collection-sync.camel.yaml,file:routes/jobs.camel.yaml,"
                        + "file:routes/source-verify.camel.yaml,"
                        + "file:routes/source-verify-template.camel.yaml,file:" + dir + "/*.yaml")
                .start();
        Await.until("the items delivered", Duration.ofSeconds(60), () -> watermark("items").equals(String.valueOf(ITEMS)));
    }

    private Map<String, String> source(String sourceId, String table) {
        Map<String, String> p = SourceApp.source(sourceId, table, url);
        p.put("centralUsername", "root");
        p.put("centralPassword", PASSWORD);
        return p;
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        db.close();
    }

    // ---- incrementing ------------------------------------------------------------------------------

    @Test
    void incrementingSourceReportsExactlyTheDamagedKeysAndRepairsThem() throws Exception {
        JsonNode clean = verify("items", false);
        assertThat(clean.path("consistent").asBoolean()).as(clean.toString()).isTrue();
        assertThat(clean.path("sourceRows").asLong()).isEqualTo(ITEMS);
        assertThat(clean.path("centralDocuments").asLong()).isEqualTo(ITEMS);
        assertThat(counts(clean)).containsExactly(0L, 0L, 0L, 0L);

        deleteCentral("items-7", "items-1500", "items-2500");
        changeCentral("items-42", "name", "tampered");
        putCentral("items-99999", "{\"_key\":\"items-99999\",\"name\":\"nobody\",\"_source\":\"items\",\"_version\":99999}");
        insertItems(ITEMS + 1, ITEMS + 1); // after the watermark: pending, not missing
        try {
            JsonNode found = verify("items", false);
            assertThat(found.path("consistent").asBoolean()).isFalse();
            assertThat(keys(found, "missing")).containsExactly("items-1500", "items-2500", "items-7");
            assertThat(keys(found, "different")).containsExactly("items-42");
            assertThat(keys(found, "extra")).containsExactly("items-99999");
            assertThat(keys(found, "pending")).containsExactly("items-" + (ITEMS + 1));
            assertThat(found.has("repair")).isFalse();
            assertThat(document("items-7")).isNull(); // a verify alone changes nothing

            deleteCentral("items-99999"); // extra documents are reported, never deleted
            JsonNode repaired = verify("items", true);
            assertThat(keys(repaired, "missing")).containsExactly("items-1500", "items-2500", "items-7");
            assertThat(repaired.path("repair").path("sent").path("count").asLong()).isEqualTo(3);
            assertThat(keys(repaired.path("repair"), "forced")).containsExactly("items-42");

            JsonNode after = verify("items", false);
            assertThat(after.path("consistent").asBoolean()).as(after.toString()).isTrue();
            assertThat(counts(after)).containsExactly(0L, 0L, 0L, 1L);
            assertCentralEqualsItems(ITEMS);
            assertThat(document(("items-" + (ITEMS + 1)))).isNull(); // pending rows are the source's to send
        } finally {
            db.update("DELETE FROM items WHERE id = ?", ITEMS + 1);
        }
        assertThat(counts(verify("items", false))).containsExactly(0L, 0L, 0L, 0L);
    }

    @Test
    void scheduledVerifyRepairsWhatWentMissing() throws Exception {
        deleteCentral("items-3", "items-2000");
        // as a templatedRoute in a route file would add it
        String route = TemplatedRouteBuilder.builder(app.context(), "tributary-source-verify").routeId("items-verify")
                .parameter("sourceId", "items").parameter("repair", "true")
                .parameter("schedule", "timer:items-verify?period=200&delay=0").add();
        try {
            Await.until("the scheduled verify repaired the central documents", Duration.ofSeconds(30),
                    () -> document("items-3") != null && document("items-2000") != null);
        } finally {
            app.context().getRouteController().stopRoute(route);
            app.context().removeRoute(route);
        }
        assertThat(verify("items", false).path("consistent").asBoolean()).isTrue();
    }

    @Test
    void commandLineExitCodesAndJson() throws Exception {
        String[] args = {"--source-id", "items", "--jdbc-url", db.jdbcUrl(), "--jdbc-user", db.user(),
                "--table", "items", "--key-column", "id", "--mode", "incrementing", "--collection", "central",
                "--central-url", url, "--central-user", "root", "--central-password-env", "PW"};
        Map<String, String> env = Map.of("PW", PASSWORD);
        Command ok = command(args, env);
        assertThat(ok.exit).as(ok.err).isZero();
        assertThat(JSON.readTree(ok.out).path("consistent").asBoolean()).isTrue();

        deleteCentral("items-11");
        Command found = command(args, env);
        assertThat(found.exit).isEqualTo(1);
        assertThat(keys(JSON.readTree(found.out), "missing")).containsExactly("items-11");

        List<String> repair = new ArrayList<>(List.of(args));
        repair.add("--repair");
        Command repaired = command(repair.toArray(String[]::new), env);
        assertThat(repaired.exit).isEqualTo(1); // differences were found, and repaired
        assertThat(command(args, env).exit).isZero();

        Command usage = command(new String[] {"--table", "items"}, env);
        assertThat(usage.exit).isEqualTo(2);
        assertThat(usage.out).isEmpty();
        Command wrongPassword = command(args, Map.of("PW", "wrong"));
        assertThat(wrongPassword.exit).isEqualTo(3);
        assertThat(wrongPassword.err).contains("401").doesNotContain("wrong");
    }

    // ---- timestamp ---------------------------------------------------------------------------------

    @Test
    void timestampSourceTellsLateRowsFromPendingOnes() throws Exception {
        String now = dialect().localTimestamp();
        for (int i = 1; i <= 20; i++) {
            db.execute("INSERT INTO docs (id, body, updated_at) VALUES ('" + i + "', 'body-" + i + "', " + now
                    + " - INTERVAL '1' HOUR)");
        }
        Await.until("the docs delivered", Duration.ofSeconds(60), () -> watermark("docs").equals("20"));
        assertThat(verify("docs", false).path("consistent").asBoolean()).isTrue();

        // committed "late": its timestamp lies behind the watermark, so the source never reads it
        db.execute("INSERT INTO docs (id, body, updated_at) VALUES ('21', 'late', " + now + " - INTERVAL '2' HOUR)");
        // changed without touching the timestamp: same version, other content
        db.execute("UPDATE docs SET body = 'silently changed' WHERE id = '5'");
        // changed just now: inside the safety lag, the source sends it later
        db.execute("UPDATE docs SET body = 'fresh', updated_at = " + now + " WHERE id = '6'");
        JsonNode found = verify("docs", true);
        assertThat(keys(found, "missing")).containsExactly("docs-21");
        assertThat(keys(found, "different")).containsExactly("docs-5");
        assertThat(keys(found, "pending")).containsExactly("docs-6");
        assertThat(keys(found, "extra")).isEmpty();
        assertThat(keys(found.path("repair"), "sent")).containsExactly("docs-21");
        assertThat(keys(found.path("repair"), "forced")).containsExactly("docs-5");

        JsonNode after = verify("docs", false);
        assertThat(after.path("consistent").asBoolean()).as(after.toString()).isTrue();
        assertThat(keys(after, "pending")).containsExactly("docs-6");
        assertThat(document("docs-21").path("body").asText()).isEqualTo("late");
        assertThat(document("docs-5").path("body").asText()).isEqualTo("silently changed");
        assertThat(document("docs-6").path("body").asText()).isEqualTo("body-6");
    }

    // ---- change table ------------------------------------------------------------------------------

    @Test
    void changeTableSourceChecksTheRowsStillInItsTable() throws Exception {
        db.execute("INSERT INTO chg (what) VALUES ('a')", "INSERT INTO chg (what) VALUES ('b')");
        Await.until("the change table drained", Duration.ofSeconds(30), () -> db.count("SELECT COUNT(*) FROM chg") == 0);
        JsonNode drained = verify("chg", false);
        assertThat(drained.path("consistent").asBoolean()).isTrue();
        assertThat(drained.path("sourceRows").asLong()).isZero();

        app.context().getRouteController().stopRoute("chg");
        try {
            db.execute("INSERT INTO chg (what) VALUES ('c')", "INSERT INTO chg (what) VALUES ('d')");
            List<Object> ids = db.query("SELECT id FROM chg ORDER BY id").stream().map(r -> r.get("id")).toList();
            String clash = "chg-" + ids.get(1);
            // another writer already put a document under this source's key
            putCentral(clash, "{\"_key\":\"" + clash + "\",\"what\":\"someone else\",\"_version\":" + ids.get(1) + "}");
            JsonNode found = verify("chg", false);
            assertThat(keys(found, "pending")).containsExactly("chg-" + ids.get(0));
            assertThat(keys(found, "different")).containsExactly(clash);
            assertThat(keys(found, "missing")).isEmpty();
        } finally {
            app.context().getRouteController().startRoute("chg");
        }
    }

    // ---- HTTP ----------------------------------------------------------------------------------------

    @Test
    void jobsRunInTheBackgroundAndOnlyConfiguredSourcesCanBeVerified() throws Exception {
        HttpResponse<String> started = send("POST", "/api/sources/items/verify", true);
        assertThat(started.statusCode()).isEqualTo(202);
        String id = JSON.readTree(started.body()).path("id").asText();
        Await.until("the verify job ended", Duration.ofSeconds(60), () -> !status(id).equals("running"));
        JsonNode job = JSON.readTree(send("GET", "/api/sources/items/verify/" + id, true).body());
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("finishedAt").isTextual()).as(job.toString()).isTrue();
        assertThat(job.path("result").path("sourceId").asText()).isEqualTo("items");
        assertThat(JSON.readTree(send("GET", "/api/sources/items/verify", true).body()).findValuesAsText("id")).contains(id);

        for (String notASource : new String[] {"nosuch", "central-import", "source-verify"}) {
            HttpResponse<String> refused = send("POST", "/api/sources/" + notASource + "/verify?wait=true", true);
            assertThat(refused.statusCode()).as(notASource).isEqualTo(404);
            assertThat(JSON.readTree(refused.body()).path("error").asBoolean()).isTrue();
        }
        assertThat(send("POST", "/api/sources/items/verify?wait=true", false).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/sources/items/verify?repair=yes", true).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/_api/tributary/sync/central/ranges?hash=bogus", true).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/sources/items/verify/" + java.util.UUID.randomUUID(), true).statusCode()).isEqualTo(404);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private JsonNode verify(String sourceId, boolean repair) throws Exception {
        HttpResponse<String> r = send("POST", "/api/sources/" + sourceId + "/verify?wait=true" + (repair ? "&repair=true" : ""), true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode job = JSON.readTree(r.body());
        assertThat(job.path("status").asText()).as(r.body()).isEqualTo("succeeded");
        return job.path("result");
    }

    private String status(String id) {
        try {
            return JSON.readTree(send("GET", "/api/sources/items/verify/" + id, true).body()).path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, boolean authenticated) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authenticated) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("root:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> keys(JsonNode report, String kind) {
        List<String> keys = new ArrayList<>();
        report.path(kind).path("keys").forEach(k -> keys.add(k.asText()));
        assertThat(report.path(kind).path("count").asLong()).isEqualTo(keys.size());
        return keys;
    }

    private static List<Long> counts(JsonNode report) {
        return List.of(report.path("missing").path("count").asLong(), report.path("extra").path("count").asLong(),
                report.path("different").path("count").asLong(), report.path("pending").path("count").asLong());
    }

    private String watermark(String sourceId) {
        List<Map<String, Object>> rows;
        try {
            rows = db.query("SELECT last_key FROM tributary_status WHERE source_id = ?", sourceId);
        } catch (IllegalStateException e) {
            return ""; // no source has created the status table yet
        }
        return rows.isEmpty() ? "" : String.valueOf(rows.get(0).get("last_key"));
    }

    private void insertItems(int from, int to) {
        StringBuilder sql = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sql.append(sql.length() == 0 ? "" : ", ").append("(").append(i).append(", 'item-").append(i).append("', ")
                    .append(i % 17).append(", ").append(i).append(".25, TIMESTAMP '2026-01-02 03:04:05.678')");
            if ((i - from) % 500 == 499 || i == to) {
                db.execute("INSERT INTO items (id, name, qty, price, created) VALUES " + sql);
                sql.setLength(0);
            }
        }
    }

    private String centralTable() {
        return dialect().quote(CentralCollection.table(db, "central"));
    }

    private void deleteCentral(String... keys) {
        for (String key : keys) {
            db.update("DELETE FROM " + centralTable() + " WHERE " + dialect().quote("_key") + " = ?", key);
        }
    }

    private void changeCentral(String key, String attribute, String value) throws Exception {
        ObjectNode doc = (ObjectNode) document(key);
        doc.put(attribute, value);
        db.update("UPDATE " + centralTable() + " SET " + dialect().quote("doc") + " = " + dialect().jsonParameter() + " WHERE "
                + dialect().quote("_key") + " = ?", doc.toString(), key);
    }

    private void putCentral(String key, String json) throws Exception {
        JsonNode doc = JSON.readTree(json);
        db.update("INSERT INTO " + centralTable() + " (" + dialect().quote("_key") + ", " + dialect().quote("_version") + ", "
                + dialect().quote("doc") + ") VALUES (?, ?, " + dialect().jsonParameter() + ")", key,
                doc.has("_version") ? new BigDecimal(doc.get("_version").asText()) : null, json);
    }

    /** A central document straight from the store, or null. */
    private JsonNode document(String key) {
        for (Map<String, Object> doc : CentralCollection.documents(db, "central")) {
            if (key.equals(doc.get("_key"))) {
                return JSON.valueToTree(doc);
            }
        }
        return null;
    }

    private void assertCentralEqualsItems(int upTo) {
        Map<String, JsonNode> central = new java.util.HashMap<>();
        for (Map<String, Object> doc : CentralCollection.documents(db, "central")) {
            central.put((String) doc.get("_key"), JSON.valueToTree(doc));
        }
        for (Map<String, Object> row : db.query("SELECT id, name, qty, price FROM items WHERE id <= ?", upTo)) {
            JsonNode doc = central.get("items-" + row.get("id"));
            assertThat(doc).as("items-" + row.get("id")).isNotNull();
            assertThat(doc.path("name").asText()).isEqualTo(row.get("name"));
            assertThat(doc.path("qty").asInt()).isEqualTo(((Number) row.get("qty")).intValue());
            assertThat(doc.path("price").decimalValue()).isEqualByComparingTo((BigDecimal) row.get("price"));
            assertThat(doc.path("_version").asLong()).isEqualTo(((Number) row.get("id")).longValue());
        }
    }

    private record Command(int exit, String out, String err) {
    }

    private static Command command(String[] args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VerifyCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Command(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
