package io.tributary.central;

import io.tributary.http.BasicAuthentication;
import io.tributary.http.RejectedRequests;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.testing.Await;
import io.tributary.testing.TributaryApp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.Test;

/**
 * Hostile and unknown requests, with a password set: every answer is ArangoDB's JSON error body with
 * the right errorNum (never Vert.x's HTML), every REST path demands credentials, checked once per request, and each refusal is
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
                .property("camel.beans.centralAuthentication", "#class:" + CountedAuthentication.class.getName())
                .routes("file:routes/central-import.camel.yaml", "file:routes/collection-sync.camel.yaml", "file:routes/jobs.camel.yaml",
                        "file:routes/source-verify.camel.yaml");
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

    /**
     * Every path of every REST block, read from the running context so that a new path is covered too:
     * without credentials, one 401 with ArangoDB's body, one refusal line and one credentials check; with
     * them, one check and no 401. No HTTP route bypasses the REST blocks.
     */
    @Test
    void everyRestPathNeedsCredentialsCheckedOncePerRequest() {
        CountedAuthentication authentication = app.bean("centralAuthentication", CountedAuthentication.class);
        CentralClient wrong = new CentralClient(port).credentials("root", PASSWORD + "-guess");
        List<String[]> calls = new ArrayList<>();
        for (RestDefinition rest : app.context().getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = (rest.getPath() == null ? "" : rest.getPath()) + verb.getPath();
                calls.add(new String[] {verb.asVerb().toUpperCase(Locale.ROOT), path, path
                        .replace("{database}", "_system").replace("{key}", "k").replace("{id}", "1")
                        .replaceAll("\\{[A-Za-z]+\\}", "people")});
            }
        }
        assertThat(calls).as("REST paths of central-import, collection-sync and source-verify").hasSizeGreaterThan(50);
        assertThat(app.context().getRoutes()).as("HTTP routes outside the REST blocks")
                .filteredOn(r -> r.getEndpoint().getEndpointUri().startsWith("platform-http:"))
                .allMatch(Route::isCreatedByRestDsl);
        long collectionsBefore = collections();
        for (CentralClient c : new CentralClient[] {wrong, authorized()}) {
            for (String[] call : calls) {
                String what = call[0] + " " + call[1];
                int before = authentication.checks();
                var r = call[0].equals("HEAD") ? c.method("HEAD", call[2]) : c.send(call[0], call[2], "{\"name\":\"x\"}");
                assertThat(authentication.checks() - before).as("credentials checks for " + what).isOne();
                if (c == wrong) {
                    assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(401);
                    assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue(BasicAuthentication.CHALLENGE);
                    assertThat(lines(call[0] + " " + call[2] + ": 401 ")).as(what).singleElement().asString()
                            .endsWith(": 401 errorNum 401 (unauthorized)");
                } else {
                    assertThat(r.status()).as(what + ": " + r.body()).isNotEqualTo(401);
                }
            }
            if (c == wrong) {
                assertThat(collections()).as("nothing created by refused requests").isEqualTo(collectionsBefore);
            }
        }
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

        // a new source asks for its position: none recorded is its normal answer, not logged as a refusal
        assertThat(c.get("/_api/tributary/positions/new-source").status()).isEqualTo(404);
        assertThat(lines("GET /_api/tributary/positions")).isEmpty();
        assertThat(c.get("/_api/tributary/positions/bad!id").status()).isEqualTo(400);
        assertThat(lines("GET /_api/tributary/positions")).as("a real refusal on that path still is")
                .singleElement().asString().endsWith(": 400 errorNum 400 (bad parameter)");

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
