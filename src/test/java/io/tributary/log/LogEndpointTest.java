package io.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The change log over HTTP on a real node with a password: state, reads with their markers, long poll,
 * 410 past retention, refused parameters, a node following itself, and no answer without credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogEndpointTest {

    private static final String PASSWORD = "log-Pa55word";

    private TestDatabase db;
    private TributaryApp app;
    private CentralClient client;
    private int port;

    @BeforeAll
    void start() {
        db = TestDatabase.create(Dialect.H2, "logendpoint");
        port = TributaryApp.freePort();
        app = TributaryApp.builder().properties(db.beanProperties("centralDb")).property("camel.server.port", "" + port)
                .property("tributary.central.password", PASSWORD)
                .routes("file:routes/central-import.camel.yaml", "file:routes/change-log.camel.yaml").start();
        client = new CentralClient(port).credentials("root", PASSWORD);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private long importDocs(String collection, String body) {
        CentralClient.Response r = client.post("/_api/import?collection=" + collection
                + "&createCollection=true&type=array&onDuplicate=replace&versionAttribute=v", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return state().path("lastTick").asLong();
    }

    private JsonNode state() {
        CentralClient.Response r = client.get("/_api/tributary/log/state");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void servesStateAndEntriesInTickOrderWithTheirMarkers() {
        long before = state().path("lastTick").asLong();
        Instant writing = Instant.now();
        importDocs("orders", "[{\"_key\":\"a\",\"v\":12345678901234567890,\"x\":1},{\"_key\":\"b\",\"x\":2}]");
        client.method("DELETE", "/_api/document/orders/b");

        JsonNode state = state();
        assertThat(state.path("database").asText()).isEqualTo("_system");
        assertThat(state.path("lastTick").asLong()).isEqualTo(before + 3);
        assertThat(state.path("serverId").asText()).isEqualTo(app.bean("changeLog", ChangeLog.class).serverId());
        assertThat(state.path("oldestTick").asLong()).isLessThanOrEqualTo(before + 1);

        CentralClient.Response r = client.get("/_api/tributary/log?from=" + before + "&limit=2");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        System.out.println("LOG page " + r.body());
        JsonNode page = r.json();
        assertThat(page.path("entries")).hasSize(2);
        JsonNode a = page.path("entries").get(0);
        assertThat(a.path("tick").asLong()).isEqualTo(before + 1);
        assertThat(a.path("key").asText()).isEqualTo("a");
        assertThat(a.path("op").asText()).isEqualTo("put");
        assertThat(a.path("version").isTextual()).as("a version beyond 2^53 travels as text").isTrue();
        assertThat(a.path("version").asText()).isEqualTo("12345678901234567890");
        assertThat(a.path("doc").path("x").asInt()).isEqualTo(1);
        assertThat(page.path("entries").get(1).path("version").isNull()).isTrue();
        // the primary's commit time of each entry, UTC (both entries committed together)
        Instant time = Instant.parse(a.path("time").asText());
        assertThat(time).isBetween(writing.minusSeconds(1), Instant.now());
        assertThat(page.path("entries").get(1).path("time").asText()).isEqualTo(a.path("time").asText());
        assertThat(page.path("lastIncluded").asLong()).isEqualTo(before + 2);
        assertThat(page.path("checkMore").asBoolean()).isTrue();
        assertThat(r.raw().headers().firstValue("x-arango-replication-lastincluded")).hasValue("" + (before + 2));
        assertThat(r.raw().headers().firstValue("x-arango-replication-checkmore")).hasValue("true");

        JsonNode rest = client.get("/_api/tributary/log?from=" + (before + 2)).json();
        assertThat(rest.path("entries").get(0).path("op").asText()).isEqualTo("delete");
        assertThat(rest.path("entries").get(0).has("doc")).isFalse();
        assertThat(Instant.parse(rest.path("entries").get(0).path("time").asText())).isAfterOrEqualTo(time);
        assertThat(rest.path("checkMore").asBoolean()).isFalse();

        JsonNode other = client.get("/_db/other/_api/tributary/log/state").json();
        assertThat(other.path("database").asText()).isEqualTo("other");
        assertThat(other.path("lastTick").asLong()).as("one log per database").isZero();
    }

    @Test
    void aLongPollIsAnsweredWithTheWriteThatCommitsWhileItWaits() throws Exception {
        long from = importDocs("polled", "[{\"_key\":\"first\"}]");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CentralClient.Response> waiting = pool.submit(() -> client.get("/_api/tributary/log?from=" + from
                    + "&wait=60"));
            importDocs("polled", "[{\"_key\":\"second\"}]");
            CentralClient.Response r = waiting.get();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("entries").get(0).path("key").asText()).isEqualTo("second");
            assertThat(r.json().path("entries").get(0).path("tick").asLong()).isEqualTo(from + 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesBadParametersAndFollowingItself() {
        long last = importDocs("params", "[{\"_key\":\"p\"}]");
        assertError(client.get("/_api/tributary/log"), 400, 400, "'from' is required");
        assertError(client.get("/_api/tributary/log?from=0&limt=5"), 400, 400, "unknown query parameter 'limt'");
        assertError(client.get("/_api/tributary/log?from=0&limit=0"), 400, 400, "'limit' must be a whole number from 1 to 10000");
        assertError(client.get("/_api/tributary/log?from=0&wait=61"), 400, 400, "'wait' must be a whole number from 0 to 60");
        assertError(client.get("/_api/tributary/log?from=x"), 400, 400, "'from' must be a whole number");
        assertError(client.get("/_api/tributary/log?from=" + (last + 5)), 400, 400, "is after the last tick " + last);
        assertError(client.get("/_api/tributary/log/state?x=1"), 400, 400, "unknown query parameter 'x'");
        String self = state().path("serverId").asText();
        assertError(client.get("/_api/tributary/log?from=0&follower=" + self), 400, 1405, "a node cannot follow itself");
    }

    @Test
    void aReadFromBeforeRetentionIsGoneWithTheOldestTick() {
        importDocs("kept", "[{\"_key\":\"k1\"}]");
        long last = importDocs("kept", "[{\"_key\":\"k2\"}]");
        ChangeLog log = app.bean("changeLog", ChangeLog.class);
        log.setRetentionEntries(1);
        try {
            log.prune();
        } finally {
            log.setRetentionEntries(0);
        }
        CentralClient.Response r = client.get("/_api/tributary/log?from=0");
        assertError(r, 410, 1414, "no longer holds the entries after tick 0");
        assertThat(r.json().path("oldestTick").asLong()).isEqualTo(last);
        assertThat(client.get("/_api/tributary/log?from=" + (last - 1)).json().path("entries")).hasSize(1);
    }

    @Test
    void refusesReadersWithoutCredentials() {
        CentralClient anonymous = new CentralClient(port);
        assertError(anonymous.get("/_api/tributary/log/state"), 401, 401, "");
        assertError(anonymous.get("/_api/tributary/log?from=0"), 401, 401, "");
        assertError(new CentralClient(port).credentials("root", "wrong").get("/_db/_system/_api/tributary/log?from=0"),
                401, 401, "");
    }

    private static void assertError(CentralClient.Response r, int status, int errorNum, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error").asBoolean()).isTrue();
        assertThat(r.json().path("errorNum").asInt()).isEqualTo(errorNum);
        assertThat(r.json().path("errorMessage").asText()).contains(message);
    }
}
