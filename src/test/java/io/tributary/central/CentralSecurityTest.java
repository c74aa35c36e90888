package io.tributary.central;

import io.tributary.http.BasicAuthentication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.sql.Dialect;
import io.tributary.testing.TributaryApp;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Credentials, body limit, methods and content types, on a small body limit and with a password set. */
class CentralSecurityTest extends ImportEndpointTestBase {

    private static final String PASSWORD = "s3cr3t-Pa55word";
    private ListAppender<ILoggingEvent> logs;

    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    /** Called before the app starts, so the start-up log (property summary included) is captured too. */
    @Override
    void configure(TributaryApp.Builder builder) {
        logs = captureLogs(org.slf4j.Logger.ROOT_LOGGER_NAME);
        builder.routes("file:routes/central-import.camel.yaml", "file:routes/sources.camel.yaml", "file:routes/status-page.camel.yaml",
                        "file:routes/followers.camel.yaml", "file:routes/jobs.camel.yaml")
                .property("tributary.central.username", "sync").property("tributary.central.password", PASSWORD)
                .property("tributary.central.max-body-bytes", "4096");
    }

    private CentralClient anonymous() {
        return client;
    }

    private CentralClient authorized() {
        return new CentralClient(port).credentials("sync", PASSWORD);
    }


    @Test
    void requestsWithoutValidCredentialsGet401() {
        String url = "/_api/import?collection=guarded&type=documents&createCollection=true";
        for (CentralClient c : new CentralClient[] {anonymous(), new CentralClient(port).credentials("sync", "wrong"),
                new CentralClient(port).credentials("other", PASSWORD), new CentralClient(port).credentials("sync", PASSWORD + "x")}) {
            var r = c.post(url, "{\"_key\":\"a\"}");
            assertError(r, 401, 401, "not authorized");
            assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"tributary\"");
            assertThat(c.get("/_api/tributary/positions").status()).isEqualTo(401);
            assertThat(c.get("/_api/collection/guarded/count").status()).isEqualTo(401);
        }
        var broken = client.post(url, "{}", "Authorization", "Basic !!!not-base64");
        assertThat(broken.status()).isEqualTo(401);
        assertThat(collections()).as("nothing created by refused requests").isZero();

        var ok = authorized().post(url, "{\"_key\":\"a\"}");
        assertCounts(ok, 1, 0, 0, 0, 0);
        assertThat(ok.raw().headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization"));
        assertThat(authorized().get("/_api/collection/guarded/count").json().get("count").asInt()).isEqualTo(1);
        assertThat(authorized().get("/_api/tributary/positions").status()).isEqualTo(200);
    }

    /** The status page, its files and every API route of the node: 401 without credentials, served with them. */
    @Test
    void thePageAndEveryApiNeedCredentials() {
        Map<String, Integer> served = new LinkedHashMap<>();
        served.put("/", 302);
        served.put("/ui", 200);
        served.put("/ui/status.js", 200);
        served.put("/api/sources", 200);
        served.put("/api/sources/nope/history", 404);
        served.put("/api/followers", 200);
        served.put("/api/jobs", 200);
        served.forEach((path, status) -> {
            var refused = anonymous().get(path);
            assertThat(refused.status()).as(path + " " + refused.body()).isEqualTo(401);
            assertThat(refused.raw().headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"tributary\"");
            assertThat(new CentralClient(port).credentials("sync", "wrong").get(path).status()).as(path).isEqualTo(401);
            assertThat(authorized().get(path).status()).as("served with credentials: " + path).isEqualTo(status);
        });
        assertThat(anonymous().method("DELETE", "/api/jobs/nope").status()).isEqualTo(401);
        assertThat(anonymous().post("/api/sources/nope/pause", "").status()).isEqualTo(401);
    }

    /** A page on another site can make a logged-in browser POST with its stored credentials: refused. */
    @Test
    void stateChangingRequestsFromAnotherSiteAre403() {
        String url = "/_api/import?collection=forged&type=documents&createCollection=true";
        for (String[] browser : new String[][] {{"Sec-Fetch-Site", "cross-site"}, {"Origin", "http://evil.example"}}) {
            var r = authorized().post(url, "{\"_key\":\"a\"}", browser[0], browser[1]);
            assertError(r, 403, 11, "refusing");
        }
        assertThat(rows("forged")).as("no collection created by refused requests").isEqualTo(-1);
        assertThat(authorized().get("/_api/tributary/positions", "Sec-Fetch-Site", "cross-site").status()).isEqualTo(200);
        var same = authorized().post(url, "{\"_key\":\"a\"}", "Sec-Fetch-Site", "same-origin",
                "Origin", "http://127.0.0.1:" + port);
        assertThat(same.status()).as(same.body()).isEqualTo(201);
        assertCounts(same, 1, 0, 0, 0, 0);
    }

    @Test
    void secretsNeverReachTheLog() {
        authorized().post("/_api/import?collection=logged&type=documents&createCollection=true", "{\"_key\":\"a\"}");
        client.post("/_api/import?collection=logged&type=documents", "{}", "Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString(("sync:" + PASSWORD + "-guess").getBytes(StandardCharsets.UTF_8)));
        assertThat(logs.list).as("start-up and requests were logged").hasSizeGreaterThan(5);
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(PASSWORD)
                || (e.getThrowableProxy() != null && e.getThrowableProxy().getMessage() != null
                        && e.getThrowableProxy().getMessage().contains(PASSWORD)));
    }

    @Test
    void oversizedBodyIs413AndWritesNothing() {
        String big = "{\"_key\":\"big\",\"pad\":\"" + "x".repeat(5000) + "\"}";
        var r = authorized().post("/_api/import?collection=sized&type=documents&createCollection=true", big);
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        var chunked = authorized().postStream("/_api/import?collection=sized&type=documents&createCollection=true",
                big.getBytes(StandardCharsets.UTF_8));
        assertThat(chunked.status()).as("without Content-Length").isEqualTo(413);
        assertThat(rows("sized")).isEqualTo(-1);
        assertCounts(authorized().post("/_api/import?collection=sized&type=documents&createCollection=true",
                "{\"_key\":\"small\"}"), 1, 0, 0, 0, 0);
    }

    @Test
    void wrongMethodIs405() {
        for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH"}) {
            assertThat(authorized().method(method, "/_api/import?collection=x&type=documents").status()).as(method).isEqualTo(405);
        }
        assertThat(authorized().method("POST", "/_api/tributary/positions").status()).isEqualTo(405);
    }

    @Test
    void everyContentTypeButVelocyPackIsReadAsJsonText() {
        String url = "/_api/import?collection=typed&type=documents&createCollection=true";
        assertError(authorized().post(url, "{\"_key\":\"a\"}", "Content-Type", "application/x-velocypack"), 415, 415,
                "unsupported content type");
        assertThat(rows("typed")).isEqualTo(-1);
        assertCounts(authorized().post(url, "{\"_key\":\"a\"}", "Content-Type", "application/x-ldjson"), 1, 0, 0, 0, 0);
        assertCounts(authorized().post(url, "{\"_key\":\"b\"}", "Content-Type", "text/plain; charset=utf-8"), 1, 0, 0, 0, 0);
        // as arangod: the body is JSON text whatever the type says (arangojs sends octet-stream, curl -d a form type)
        assertCounts(authorized().post(url, "{\"_key\":\"c\"}", "Content-Type", "application/octet-stream"), 1, 0, 0, 0, 0);
        assertCounts(authorized().post(url, "{\"_key\":\"d\"}", "Content-Type", "application/x-www-form-urlencoded"), 1, 0, 0, 0, 0);
        assertCounts(authorized().post(url, "{\"_key\":\"e\"}", "Content-Type", "multipart/form-data; boundary=x"), 1, 0, 0, 0, 0);
        assertThat(rows("typed")).isEqualTo(5);
        assertThat(storedRow("typed", "d").get("_key").asText()).isEqualTo("d");
    }

    @Test
    void healthDetailsAndMetricsNeedCredentialsWhileBareLivenessStaysOpen() {
        for (String open : new String[] {"/observe/health", "/observe/health/live", "/observe/health/ready"}) {
            var r = anonymous().get(open);
            assertThat(r.status()).as(open + " " + r.body()).isEqualTo(200);
            assertThat(r.json().get("status").asText()).as(open).isEqualTo("UP");
            assertThat(r.json().size()).as("status only: " + r.body()).isEqualTo(1);
        }
        for (String guarded : new String[] {"/observe/health?data=true", "/observe/health?exposureLevel=full",
                "/observe/health/live?data=true", "/observe/metrics", "/observe/info", "/observe/health/ready?exposureLevel=full",
                "/observe/health/camel-routes?data=true", "/observe/", "/observe/metrics?name=x", "/observe//metrics"}) {
            var r = anonymous().get(guarded);
            assertThat(r.status()).as(guarded + " " + r.body()).isEqualTo(401);
            assertThat(r.json().get("errorNum").asInt()).isEqualTo(401);
            assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"tributary\"");
            assertThat(new CentralClient(port).credentials("sync", "wrong").get(guarded).status()).as(guarded).isEqualTo(401);
        }
        var details = authorized().get("/observe/health?exposureLevel=full&data=true");
        assertThat(details.status()).as(details.body()).isEqualTo(200);
        assertThat(details.body()).contains("\"checks\"");
        var metrics = authorized().get("/observe/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_");
    }

    @Test
    void refusesToServeTheNetworkWithoutAPassword() {
        assertThatThrownBy(() -> TributaryApp.builder().properties(db.beanProperties("centralDb"))
                .property("camel.server.host", "0.0.0.0").property("camel.server.port", "" + TributaryApp.freePort())
                .routes("file:routes/central-import.camel.yaml").start().close())
                .hasStackTraceContaining("tributary.central.password");
        assertThat(BasicAuthentication.isLoopback("127.0.0.1")).isTrue();
        assertThat(BasicAuthentication.isLoopback("::1")).isTrue();
        assertThat(BasicAuthentication.isLoopback("localhost")).isTrue();
        assertThat(BasicAuthentication.isLoopback("0.0.0.0")).isFalse();
        BasicAuthentication open = new BasicAuthentication();
        open.setServerHost("0.0.0.0");
        open.setAllowAnonymous(true);
        open.start();
        open.check(null);
    }
}
