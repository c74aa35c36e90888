package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.testing.Await;
import io.tributary.testing.TributaryApp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile and unknown requests, with a password set: every answer is ArangoDB's JSON error body with
 * the right errorNum (never Vert.x's HTML), every new route demands credentials, and each refusal is
 * logged once per window without the query, headers or body.
 */
class UnknownRequestsTest extends ProtectedCentralTestBase {

    private static final long WINDOW_MS = 5000;
    /** In request bodies only: must never reach the log. */
    private static final String SECRET = "hunter3secretmarker";
    private ListAppender<ILoggingEvent> logs;

    @Override
    void configure(TributaryApp.Builder builder) {
        logs = captureLogs(RejectedRequests.class.getName());
        super.configure(builder);
        builder.property("tributary.central.rejection-log-interval-ms", "" + WINDOW_MS)
                .routes("file:routes/central-import.camel.yaml", "file:routes/collection-sync.camel.yaml");
    }

    @Test
    void unknownPathsMethodsAndApisAnswerArangoErrorBodies() {
        CentralClient c = authorized();
        assertJsonError(c.get("/nope"), 404, 404, "unknown path '/nope'");
        assertJsonError(c.get("/_api/nope/deeper"), 404, 404, "unknown path");
        assertJsonError(c.method("DELETE", "/_api/import"), 405, 405, "method DELETE not allowed");
        assertJsonError(c.method("PATCH", "/_api/collection"), 405, 405, "not allowed");
        assertJsonError(c.method("DELETE", "/_db/_system/_api/document/people"), 405, 405, "not allowed");
        assertJsonError(c.post("/_api/cursor", "{\"query\":\"FOR d IN people RETURN d\"}"), 501, 9, "not supported");
        assertJsonError(c.send("PUT", "/_db/_system/_api/cursor/1", ""), 501, 9, "Served ArangoDB API");
        assertJsonError(c.get("/_api/collection/nope"), 404, 1203, "not found");
        assertJsonError(c.get("/_db/sales/_api/document/nope/k"), 404, 1203, "not found");
        assertJsonError(c.get("/_api/collection/bad%20name"), 400, 1208, "illegal name");
        assertJsonError(c.post("/_api/import?collection=x&type=documents", "{}", "Content-Type", "application/x-velocypack"),
                415, 415, "VelocyPack");
        var head = c.method("HEAD", "/nope");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();

        // what shares the server keeps working
        assertThat(c.get("/observe/health").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(c.get("/api/sync/jobs").status()).isEqualTo(200);
    }

    @Test
    void hostileDocumentBodiesWriteNothing() {
        CentralClient c = authorized();
        assertThat(c.post("/_api/collection", "{\"name\":\"bodies\"}").status()).isEqualTo(200);
        // two objects where one is expected must not become an array of two
        assertJsonError(c.post("/_api/document/bodies", "{\"_key\":\"a\"},{\"_key\":\"b\"}"), 400, 600, "one JSON object");
        assertJsonError(c.post("/_api/document/bodies", "{\"_key\":\"a\"}]"), 400, 600, "malformed");
        assertJsonError(c.post("/_api/document/bodies", ""), 400, 600, "one JSON object");
        assertJsonError(c.post("/_api/document/bodies", "42"), 400, 1227, "expecting object");
        assertJsonError(c.post("/_api/document/bodies?returnOld=true", "{}"), 400, 400, "returnOld");
        assertJsonError(c.post("/_api/document/bodies", "{}", "If-Match", "\"_abc\""), 400, 400, "If-Match");
        assertJsonError(c.send("PUT", "/_api/document/bodies/a", "{}"), 404, 1202, "document not found");
        assertThat(rows("bodies")).isZero();
    }

    @Test
    void everyArangoRouteNeedsCredentials() {
        CentralClient anonymous = client;
        String[][] calls = {{"GET", "/_api/version"}, {"GET", "/_db/_system/_api/database/current"},
                {"GET", "/_api/collection"}, {"POST", "/_api/collection"}, {"GET", "/_api/collection/people"},
                {"GET", "/_db/_system/_api/collection/people/properties"}, {"GET", "/_api/collection/people/count"},
                {"GET", "/_api/document/people/k"}, {"HEAD", "/_api/document/people/k"}, {"POST", "/_api/document/people"},
                {"PUT", "/_api/document/people?onlyget=true"}, {"PUT", "/_api/document/people/k"},
                {"PATCH", "/_api/document/people/k"}, {"DELETE", "/_api/document/people/k"}, {"POST", "/_api/cursor"},
                {"GET", "/nope"}, {"DELETE", "/_api/import"}};
        for (String[] call : calls) {
            var r = call[0].equals("HEAD") ? anonymous.method("HEAD", call[1])
                    : anonymous.send(call[0], call[1], "{\"name\":\"people\",\"_key\":\"k\"}");
            assertThat(r.status()).as(call[0] + " " + call[1] + ": " + r.body()).isEqualTo(401);
            assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue(BasicAuthentication.CHALLENGE);
            if (!call[0].equals("HEAD")) {
                assertThat(r.json().get("errorNum").asInt()).isEqualTo(401);
            }
        }
        assertThat(collections()).as("nothing created by refused requests").isZero();
    }

    @Test
    void eachRefusalIsLoggedOncePerWindowWithoutSecrets() {
        CentralClient c = authorized();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("root:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 4; i++) {
            var r = c.post("/hostile/probe?password=hunter2&token=t0ps3cret", "secret-body-text", "Authorization", basic);
            assertThat(r.status()).isEqualTo(404);
        }
        assertThat(lines("POST /hostile/probe")).as("one line for four equal refusals within the window")
                .singleElement().asString().isEqualTo("Refused POST /hostile/probe: 404 errorNum 404 (not found)");
        c.get("/_db/sales/_api/collection/absent/properties");
        assertThat(lines("GET /_db/sales/_api/collection/absent/properties")).as("another method, path template and status: its own line")
                .singleElement().asString().endsWith(": 404 errorNum 1203 (collection or view not found)");

        // error messages quote documents and JSON tokens: the client gets them, the log only ArangoDB's error name
        var badImport = c.post("/_api/import?collection=leaks&type=documents&createCollection=true&complete=true",
                "{\"_key\":\"ok\"}\n{\"_key\":\"bad key!\",\"secret\":\"" + SECRET + "\"}");
        assertThat(badImport.body()).as("the answer keeps the details").contains(SECRET);
        assertThat(c.post("/_api/document/leaks", "{\"_key\":\"dup\"}").status()).isEqualTo(202);
        assertThat(c.post("/_api/document/leaks", "{\"_key\":\"dup\",\"secret\":\"" + SECRET + "\"}").status()).isEqualTo(409);
        assertThat(c.post("/_db/_system/_api/import?collection=leaks&type=documents", "{\"a\":" + SECRET + "}").status()).isEqualTo(400);
        assertThat(lines("POST /_api/import")).singleElement().asString().startsWith("Refused POST /_api/import: " + badImport.status()
                + " errorNum " + badImport.json().get("errorNum").asInt() + " (");
        assertThat(lines("POST /_api/document/leaks")).singleElement().asString()
                .isEqualTo("Refused POST /_api/document/leaks: 409 errorNum 1210 (unique constraint violated)");
        assertThat(lines("POST /_db/_system/_api/import")).singleElement().asString()
                .isEqualTo("Refused POST /_db/_system/_api/import: 400 errorNum 600 (invalid JSON object)");

        // after the window, the next refusal is logged with the count of those left out
        Await.until("the next window's line", Duration.ofSeconds(WINDOW_MS / 1000 + 10), () -> {
            c.post("/hostile/probe?password=hunter2", "secret-body-text");
            return lines("POST /hostile/probe").size() == 2;
        }, () -> lines("POST /hostile/probe").toString());
        assertThat(lines("POST /hostile/probe").get(1)).containsPattern("\\((\\d+) more like it in the previous 5\\.0 s not logged\\)");

        assertThat(logs.list).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("hunter2") || m.contains("t0ps3cret") || m.contains("secret-body-text")
                        || m.contains(PASSWORD) || m.contains(basic.substring(6)) || m.contains(SECRET));
    }

    private List<String> lines(String prefix) {
        synchronized (logs) { // the appender appends under its own lock
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("Refused " + prefix)).toList();
        }
    }

    private static void assertJsonError(CentralClient.Response r, int status, int errorNum, String messagePart) {
        assertThat(r.raw().headers().firstValue("Content-Type")).as(r.body()).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertError(r, status, errorNum, messagePart);
    }
}
