package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CapturedLogs;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source status API, metrics and probes against a real PostgreSQL source and a central node that is
 * stopped and started again: GET /api/sources, pause, resume, run, /observe/metrics, /observe/health/live
 * and /ready (docs/operations.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    private TestDatabase db;
    private Path dir;

    @BeforeAll
    void create() throws Exception {
        db = TestDatabase.create(Dialect.POSTGRESQL, "status");
        dir = Files.createTempDirectory("tributary-status-");
    }

    @AfterAll
    void drop() {
        db.close();
    }

    private TributaryApp start(List<Map<String, String>> sources) {
        return start(db, dir, sources);
    }

    /** A node with the central endpoint, the source status API and these sources, all on {@code db}. */
    static TributaryApp start(TestDatabase db, Path dir, List<Map<String, String>> sources) {
        List<String> routes = new ArrayList<>(List.of("file:routes/central-import.camel.yaml", "file:routes/sources.camel.yaml",
                SourceApp.TEMPLATE));
        sources.forEach(s -> routes.add("file:" + SourceApp.writeSourceFile(dir, s)));
        return TributaryApp.builder().routes(routes.toArray(String[]::new)).properties(db.beanProperties("sourceDb"))
                .properties(db.beanProperties("centralDb"))
                .property("camel.server.port", Integer.toString(TributaryApp.freePort())).start();
    }

    private static Map<String, String> source(String id, String table, TestCentral central) {
        Map<String, String> s = SourceApp.source(id, table, central.url());
        s.put("backlogIntervalMs", "1000");
        return s;
    }

    /** A change table whose rows say when the change was made: lag is the oldest waiting change's age. */
    private static Map<String, String> changeTimes(Map<String, String> source) {
        source.put("timestampColumn", "changed_at");
        source.put("timestampZone", ZoneId.systemDefault().getId()); // the test's connection writes in the JVM's zone
        return source;
    }

    private void insert(String table, int rows) {
        db.execute("INSERT INTO " + table + " (v) SELECT 'v' || g FROM generate_series(1, " + rows + ") g");
    }

    /**
     * A source whose database refuses the login from its first run on (a wrong password) fails each run with
     * the reason and is retried: the retry of the run's first step used to wait for the run permit its own
     * first attempt held, so the source hung silently, never failing and never running again.
     */
    @Test
    void aSourceWhoseDatabaseRefusesTheLoginFailsEachRunWithoutThePassword() {
        String password = "Src-Wr0ng-Pa55-3";
        try (TestDatabase source = TestDatabase.create(Dialect.MARIADB, "loginsrc"); TestCentral central = new TestCentral()) {
            Map<String, String> s = source("login", "login_changes", central);
            s.put("dataSource", "loginDb");
            s.put("maximumRedeliveries", "1");
            s.put("redeliveryDelay", "100");
            s.put("poll", "timer:tributary-source-login?period=500&delay=100");
            try (TributaryApp app = TributaryApp.builder().routes("file:routes/central-import.camel.yaml",
                    "file:routes/sources.camel.yaml", SourceApp.TEMPLATE, "file:" + SourceApp.writeSourceFile(dir, s))
                    .properties(db.beanProperties("centralDb")).properties(source.beanProperties("loginDb"))
                    .property("camel.beans.loginDb.password", password)
                    // each refused login fails at once, not after Hikari's 30 s, so nothing of it outlives the node
                    .property("camel.beans.loginDb.connectionTimeout", "1000")
                    .property("camel.server.port", Integer.toString(TributaryApp.freePort())).start()) {
                CentralClient client = new CentralClient(port(app));
                Await.until("two failed runs", WAIT, () -> status(client, "login").path("failedRuns").asInt() >= 2,
                        () -> status(client, "login").toString());
                JsonNode failing = status(client, "login");
                assertThat(failing.path("state").asText()).isEqualTo("failing");
                assertThat(failing.path("lastError").path("message").asText()).contains("Access denied");
                assertThat(failing.toString()).doesNotContain(password);
                String logged = logs.events().stream().map(e -> e.getFormattedMessage() + " " + e.getThrowableProxy())
                        .collect(Collectors.joining("\n"));
                assertThat(logged).contains("source=login run failed").doesNotContain(password);
            }
        }
    }

    @Test
    void aFailingSourceIsShownFailingWithItsErrorWhileTheNodeStaysLiveAndRecovers() {
        // the trigger of a real change table would stamp changed_at; here the column's default does
        db.execute("CREATE TABLE st_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL,"
                + " changed_at TIMESTAMP(6) NOT NULL DEFAULT LOCALTIMESTAMP)");
        insert("st_changes", 10);
        try (TestCentral central = new TestCentral(); TributaryApp app = start(List.of(changeTimes(source("st", "st_changes", central))))) {
            CentralClient client = new CentralClient(port(app));
            Await.until("10 rows at the central node", WAIT, () -> central.documentCount() == 10);
            Await.until("the source idle after its run", WAIT, () -> status(client, "st").path("state").asText().equals("idle"));
            JsonNode ok = status(client, "st");
            assertThat(ok.path("mode").asText()).isEqualTo("change-table");
            assertThat(ok.path("table").asText()).isEqualTo("st_changes");
            assertThat(ok.path("collection").asText()).isEqualTo("central");
            assertThat(ok.path("rowsSent").asLong()).isEqualTo(10);
            assertThat(ok.path("batchesSent").asLong()).isEqualTo(1);
            assertThat(ok.path("watermark").asText()).isEqualTo("10");
            assertThat(ok.path("lastSuccess").isTextual()).isTrue();
            assertThat(ok.path("lastError").isNull()).isTrue();
            Map<String, Double> m = metrics(client);
            assertThat(m).containsEntry("tributary_source_rows_sent_total{source=\"st\"}", 10.0)
                    .containsEntry("tributary_source_batches_sent_total{source=\"st\"}", 1.0)
                    .containsEntry("tributary_source_batches_failed_total{source=\"st\"}", 0.0)
                    .containsEntry("tributary_source_failed_runs_total{source=\"st\"}", 0.0)
                    .containsEntry("tributary_source_consecutive_failures{source=\"st\"}", 0.0)
                    .containsKeys("tributary_source_run_duration_seconds_count{source=\"st\"}",
                            "tributary_source_run_duration_seconds_sum{source=\"st\"}",
                            "tributary_source_lag_seconds{source=\"st\"}", "tributary_source_backlog_rows{source=\"st\"}");
            assertThat(m.get("tributary_source_last_success_timestamp_seconds{source=\"st\"}")).isGreaterThan(1.7e9);
            Await.until("backlog counted 0", WAIT, () -> status(client, "st").path("backlog").path("rows").asLong(-1) == 0);
            assertThat(status(client, "st").path("lagSource").asText()).isEqualTo("lastEmptyRun");

            central.down();
            int logged = logs.events().size();
            insert("st_changes", 5);
            Await.until("state failing", WAIT, () -> status(client, "st").path("state").asText().equals("failing"));
            JsonNode failing = status(client, "st");
            assertThat(failing.path("consecutiveFailures").asInt()).isPositive();
            assertThat(failing.path("lastError").path("message").asText()).containsIgnoringCase("connect");
            assertThat(failing.path("lastError").path("at").isTextual()).isTrue();
            Await.until("backlog 5 counted", WAIT, () -> status(client, "st").path("backlog").path("rows").asLong() == 5);
            assertThat(status(client, "st").path("backlog").path("atLeast").asBoolean()).isFalse();
            Await.until("lag: the age of the oldest waiting change", WAIT,
                    () -> status(client, "st").path("lagSource").asText().equals("oldestChange"));
            double lag = status(client, "st").path("lagSeconds").asDouble();
            Await.until("lag growing", WAIT, () -> status(client, "st").path("lagSeconds").asDouble() > lag + 1);
            assertThat(metrics(client).get("tributary_source_lag_seconds{source=\"st\"}")).isGreaterThan(lag + 1);
            insert("st_changes", 3);
            Await.until("backlog growing to 8", WAIT, () -> status(client, "st").path("backlog").path("rows").asLong() == 8);
            assertThat(status(client, "st").path("lagSeconds").asDouble()).as("still the oldest change's age").isGreaterThan(lag + 1);
            assertThat(metrics(client).get("tributary_source_backlog_rows{source=\"st\"}")).isEqualTo(8.0);
            assertThat(metrics(client).get("tributary_source_batches_failed_total{source=\"st\"}")).isPositive();
            Map<String, Double> failingMetrics = metrics(client);
            assertThat(failingMetrics.get("tributary_source_consecutive_failures{source=\"st\"}")).isPositive();
            assertThat(failingMetrics.get("tributary_source_failed_runs_total{source=\"st\"}"))
                    .isGreaterThanOrEqualTo(failingMetrics.get("tributary_source_consecutive_failures{source=\"st\"}"));
            // a failing source leaves the probes UP and the node's own central endpoint serving
            assertThat(client.get("/observe/health/live").status()).isEqualTo(200);
            assertThat(client.get("/observe/health/ready").status()).isEqualTo(200);
            assertThat(client.get("/observe/health").status()).isEqualTo(200);
            assertThat(client.get("/_api/version").status()).isEqualTo(200);
            assertThat(db.count("SELECT COUNT(*) FROM st_changes")).isEqualTo(8);

            // one line per failed run: its attempts (retries) are not logged at INFO
            var events = logs.events();
            List<String> runLines = events.subList(logged, events.size()).stream()
                    .filter(e -> (e.getLoggerName().startsWith("io.tributary.source") || e.getLoggerName().startsWith("org.apache.camel.processor"))
                            && e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
            assertThat(runLines).isNotEmpty().allMatch(line -> line.startsWith("WARN source=st run failed ("), runLines.toString());

            central.up();
            Await.until("18 rows at the central node", WAIT, () -> central.documentCount() == 18);
            Await.until("idle again, backlog 0", WAIT, () -> {
                JsonNode s = status(client, "st");
                return s.path("state").asText().equals("idle") && s.path("backlog").path("rows").asLong(-1) == 0;
            });
            JsonNode recovered = status(client, "st");
            assertThat(recovered.path("consecutiveFailures").asInt()).isZero();
            assertThat(recovered.path("rowsSent").asLong()).isEqualTo(18);
            assertThat(recovered.path("lagSource").asText()).isEqualTo("lastEmptyRun");
            assertThat(recovered.path("lagSeconds").asDouble()).as("back near 0: polled every 100 ms").isLessThan(5.0);
            assertThat(recovered.path("centralPosition").asText()).isEqualTo(recovered.path("position").asText());
            assertThat(metrics(client).get("tributary_source_rows_sent_total{source=\"st\"}")).isEqualTo(18.0);
            assertThat(metrics(client).get("tributary_source_lag_seconds{source=\"st\"}")).isLessThan(5.0);
            assertThat(metrics(client).get("tributary_source_consecutive_failures{source=\"st\"}")).isZero();
            assertThat(metrics(client).get("tributary_source_failed_runs_total{source=\"st\"}")).isPositive();

            central.behave(TestCentral.Behaviour.FAIL_409, -1);
            insert("st_changes", 1);
            Await.until("the central node's answer in the last error", WAIT,
                    () -> status(client, "st").path("lastError").path("centralStatus").asInt() == 409);
            assertThat(status(client, "st").path("lastError").path("centralAnswer").asText()).contains("\"error\":true");
            central.behave(TestCentral.Behaviour.OK, -1);
            Await.until("19 rows at the central node", WAIT, () -> central.documentCount() == 19);
        }
    }

    /** A refused registration is an answer of the central node too: the status shows it as a refused batch's. */
    @Test
    void aRefusedRegistrationKeepsTheCentralAnswer() {
        db.execute("CREATE TABLE reg_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
        insert("reg_changes", 2);
        try (TestCentral central = new TestCentral()) {
            central.refuseRegistrations(true);
            try (TributaryApp app = start(List.of(source("reg", "reg_changes", central)))) {
                CentralClient client = new CentralClient(port(app));
                Await.until("the refusal in the last error", WAIT,
                        () -> status(client, "reg").path("lastError").path("centralStatus").asInt() == 409);
                JsonNode error = status(client, "reg").path("lastError");
                assertThat(error.path("message").asText()).startsWith("central node refused the registration of source 'reg' (HTTP 409)");
                assertThat(error.path("centralAnswer").asText()).isEqualTo(TestCentral.REGISTRATION_REFUSED);
                assertThat(central.documentCount()).as("nothing sent").isZero();
            }
        }
    }

    @Test
    void pauseStopsSendingResumeSendsAndRunPollsOnce() {
        db.execute("CREATE TABLE pause_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)",
                "CREATE TABLE manual_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
        try (TestCentral central = new TestCentral()) {
            Map<String, String> manual = source("manual", "manual_changes", central);
            manual.put("poll", "timer:tributary-manual?period=600000&delay=600000"); // never polls by itself
            try (TributaryApp app = start(List.of(source("pause", "pause_changes", central), manual))) {
                CentralClient client = new CentralClient(port(app));
                String self = "http://127.0.0.1:" + port(app);
                for (String[] browser : new String[][] {{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"},
                        {"Origin", "http://evil.example"}, {"Origin", "null"}}) {
                    CentralClient.Response forged = client.post("/api/sources/pause/pause", "a=b", browser[0], browser[1],
                            "Content-Type", "application/x-www-form-urlencoded");
                    assertThat(forged.status()).as(browser[1] + " " + forged.body()).isEqualTo(403);
                    assertThat(forged.json().path("errorNum").asInt()).isEqualTo(11);
                    assertThat(forged.json().path("errorMessage").asText()).contains("refusing", browser[1]);
                }
                assertThat(status(client, "pause").path("state").asText()).as("refused requests paused nothing").isNotEqualTo("paused");
                assertThat(client.get("/api/sources/pause", "Sec-Fetch-Site", "cross-site").status()).as("reads pass").isEqualTo(200);
                // as status.js's fetch: same origin
                CentralClient.Response paused = client.post("/api/sources/pause/pause", "", "Sec-Fetch-Site", "same-origin",
                        "Origin", self);
                assertThat(paused.status()).isEqualTo(200);
                assertThat(paused.json().path("state").asText()).isEqualTo("paused");
                insert("pause_changes", 3);
                String before = status(client, "pause").path("backlog").path("countedAt").asText();
                Await.until("the 3 rows counted while paused", WAIT, () -> {
                    JsonNode s = status(client, "pause");
                    return s.path("backlog").path("rows").asLong() == 3 && !s.path("backlog").path("countedAt").asText().equals(before);
                });
                assertThat(central.documentCount()).as("nothing sent while paused").isZero();
                assertThat(db.count("SELECT COUNT(*) FROM pause_changes")).isEqualTo(3);
                assertThat(client.post("/api/sources/pause/run", "").status()).as("no run while paused").isEqualTo(409);
                assertThat(client.get("/observe/health/ready").status()).as("a paused source leaves the node ready").isEqualTo(200);

                assertThat(client.post("/api/sources/pause/resume", "", "Origin", "http://127.0.0.1:1").status())
                        .as("another port is another origin").isEqualTo(403);
                assertThat(client.post("/api/sources/pause/resume", "").status()).as("curl: no browser headers").isEqualTo(200);
                Await.until("the 3 rows sent after resume", WAIT, () -> central.documentCount() == 3,
                        () -> status(client, "pause").toString() + " route " + app.context().getRouteController().getRouteStatus("pause")
                                + " consumer " + ((org.apache.camel.StatefulService) app.context().getRoute("pause").getConsumer()).getStatus());
                assertThat(client.post("/api/sources/pause/resume", "").status()).as("not paused").isEqualTo(409);

                insert("manual_changes", 4);
                CentralClient.Response run = client.post("/api/sources/manual/run", "");
                assertThat(run.status()).isEqualTo(202);
                Await.until("the manual source's 4 rows sent by the run asked for", WAIT, () -> central.documentCount() == 7);
                Await.until("its run ended", WAIT, () -> status(client, "manual").path("lastSuccess").isTextual());
                assertThat(status(client, "manual").path("lastRun").path("rows").asLong()).isEqualTo(4);
                assertThat(client.get("/api/sources/nothing").status()).isEqualTo(404);
                assertThat(client.get("/api/sources").json().path("sources")).extracting(s -> s.path("id").asText())
                        .containsExactly("manual", "pause");
            }
        }
    }

    /**
     * A pause is answered, and the source shown paused, once the run in progress has ended: what the central
     * node has then is all it gets until the resume, also when the pause came while a page was on its way.
     */
    @Test
    void aPauseIsAnsweredOnceTheRunInProgressEnded() {
        db.execute("CREATE TABLE busy_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
        insert("busy_changes", 200);
        try (TestCentral central = new TestCentral()) {
            central.delay(200); // each page on its way for a while
            Map<String, String> busy = source("busy", "busy_changes", central);
            busy.put("maxChanges", "10");
            busy.put("batchSize", "10");
            try (TributaryApp app = start(List.of(busy))) {
                CentralClient client = new CentralClient(port(app));
                Await.until("the first page sent", WAIT, () -> central.documentCount() >= 10);
                var pause = CompletableFuture.supplyAsync(() -> client.post("/api/sources/busy/pause", ""));
                Await.until("the source shown paused", WAIT, () -> status(client, "busy").path("state").asText().equals("paused"));
                int atPaused = central.documentCount();
                assertThat(pause.join().status()).isEqualTo(200);
                int atAnswer = central.documentCount();
                assertThat(atAnswer).as("paused in the middle of the run").isLessThan(200);
                String before = status(client, "busy").path("backlog").path("countedAt").asText();
                Await.until("the backlog counted after the pause", WAIT,
                        () -> !status(client, "busy").path("backlog").path("countedAt").asText().equals(before));
                assertThat(central.documentCount()).as("nothing sent after the source was shown paused").isEqualTo(atPaused)
                        .as("nor after the pause was answered").isEqualTo(atAnswer);
                assertThat(client.post("/api/sources/busy/resume", "").status()).isEqualTo(200);
                Await.until("the rest sent after the resume", WAIT, () -> central.documentCount() == 200);
            }
        }
    }

    /** After a pause and a resume, a failing batch is still retried with backoff, not given up after one attempt. */
    @Test
    void aResumedSourceRetriesAFailedBatch() {
        db.execute("CREATE TABLE retried_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
        try (TestCentral central = new TestCentral()) {
            Map<String, String> retried = source("retried", "retried_changes", central);
            retried.put("poll", "timer:tributary-retried?period=200&delay=0");
            retried.put("redeliveryDelay", "20");
            retried.put("maximumRedeliveries", "5");
            try (TributaryApp app = start(List.of(retried))) {
                CentralClient client = new CentralClient(port(app));
                assertThat(client.post("/api/sources/retried/pause", "").status()).isEqualTo(200);
                assertThat(client.post("/api/sources/retried/resume", "").status()).isEqualTo(200);
                central.behave(TestCentral.Behaviour.FAIL_500, 3);
                insert("retried_changes", 3);
                Await.until("the 3 rows sent after 3 refused attempts", WAIT, () -> central.documentCount() == 3,
                        () -> status(client, "retried").toString());
                JsonNode s = status(client, "retried");
                assertThat(s.path("failedRuns").asLong()).as("the retries were within one run: %s", s).isZero();
                assertThat(central.importRequests()).isEqualTo(4);
            }
        }
    }

    /** A pause is stored: a restarted node keeps the source paused, and says so, until it is resumed. */
    @Test
    void aPauseIsKeptAcrossARestartUntilResumed() {
        db.execute("CREATE TABLE kept_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
        try (TestCentral central = new TestCentral()) {
            Map<String, String> kept = source("kept", "kept_changes", central);
            String pausedAt;
            try (TributaryApp app = start(List.of(kept))) {
                CentralClient.Response paused = new CentralClient(port(app)).post("/api/sources/kept/pause", "");
                assertThat(paused.status()).isEqualTo(200);
                assertThat(paused.json().path("state").asText()).isEqualTo("paused");
                pausedAt = paused.json().path("pausedAt").asText();
                assertThat(pausedAt).isNotEmpty();
            }
            assertThat(db.count("SELECT COUNT(*) FROM tributary_status_paused WHERE source_id = 'kept'")).isEqualTo(1);
            insert("kept_changes", 4);

            try (TributaryApp app = start(List.of(kept))) {
                CentralClient client = new CentralClient(port(app));
                Await.until("the restarted source paused at its first poll", WAIT,
                        () -> status(client, "kept").path("state").asText().equals("paused"), () -> status(client, "kept").toString());
                JsonNode s = status(client, "kept");
                assertThat(s.path("state").asText()).isEqualTo("paused");
                assertThat(s.path("pausedAt").asText()).isEqualTo(pausedAt);
                assertThat(s.path("lastRun").path("start").isNull()).as("no run read anything").isTrue();
                assertThat(central.documentCount()).isZero();
                assertThat(db.count("SELECT COUNT(*) FROM kept_changes")).isEqualTo(4);
                assertThat(client.post("/api/sources/kept/run", "").status()).isEqualTo(409);

                CentralClient.Response resumed = client.post("/api/sources/kept/resume", "");
                assertThat(resumed.status()).isEqualTo(200);
                assertThat(resumed.json().path("pausedAt").isNull()).isTrue();
                Await.until("the 4 rows sent after resume", WAIT, () -> central.documentCount() == 4);
                assertThat(db.count("SELECT COUNT(*) FROM tributary_status_paused WHERE source_id = 'kept'")).isZero();
                assertThat(client.post("/api/sources/kept/resume", "").status()).as("not paused").isEqualTo(409);
            }
            insert("kept_changes", 2);
            try (TributaryApp app = start(List.of(kept))) {
                Await.until("a resumed source runs after a restart", WAIT, () -> central.documentCount() == 6);
                // a pause the status database cannot store is refused (503) and changes nothing
                db.execute("ALTER TABLE tributary_status_paused ADD CONSTRAINT no_pause CHECK (source_id <> 'kept')");
                try {
                    CentralClient client = new CentralClient(port(app));
                    CentralClient.Response refused = client.post("/api/sources/kept/pause", "");
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.json().path("errorMessage").asText()).contains("store the pause of source 'kept'");
                    assertThat(status(client, "kept").path("state").asText()).isNotEqualTo("paused");
                    assertThat(app.context().getRouteController().getRouteStatus("kept").isStarted()).isTrue();
                    insert("kept_changes", 1);
                    Await.until("the source still sends", WAIT, () -> central.documentCount() == 7);
                } finally {
                    db.execute("ALTER TABLE tributary_status_paused DROP CONSTRAINT no_pause");
                }
            }
        }
    }

    /**
     * A source paused before a restart is resumed before its first poll: the pause was read only at the first
     * run, so a scheduled source's resume answered 409 'not paused' until that run, which then read nothing.
     */
    @Test
    void aSourcePausedBeforeARestartIsResumedBeforeItsFirstPoll() {
        db.execute("CREATE TABLE nightly_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
        try (TestCentral central = new TestCentral()) {
            Map<String, String> nightly = source("nightly", "nightly_changes", central);
            nightly.put("poll", "timer:tributary-nightly?period=600000&delay=600000"); // its first poll far away
            try (TributaryApp app = start(List.of(nightly))) {
                assertThat(new CentralClient(port(app)).post("/api/sources/nightly/pause", "").status()).isEqualTo(200);
            }
            insert("nightly_changes", 2);
            try (TributaryApp app = start(List.of(nightly))) {
                CentralClient client = new CentralClient(port(app));
                CentralClient.Response resumed = client.post("/api/sources/nightly/resume", "");
                assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
                assertThat(db.count("SELECT COUNT(*) FROM tributary_status_paused WHERE source_id = 'nightly'")).isZero();
                assertThat(client.post("/api/sources/nightly/run", "").status()).isEqualTo(202);
                Await.until("the 2 rows sent by the run after the resume", WAIT, () -> central.documentCount() == 2);
            }
        }
    }

    /** Reading the status and the metrics as often as one likes costs the source database one count per interval. */
    @Test
    void backlogIsCountedAtMostOncePerInterval() {
        db.execute("CREATE TABLE bounded_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
        insert("bounded_changes", 30);
        try (TestCentral central = new TestCentral()) {
            Map<String, String> s = source("bounded", "bounded_changes", central);
            s.put("poll", "timer:tributary-bounded?period=600000&delay=600000");
            s.put("backlogIntervalMs", "600000");
            s.put("backlogLimit", "20");
            try (TributaryApp app = start(List.of(s))) {
                CentralClient client = new CentralClient(port(app));
                Await.until("the first count", WAIT, () -> status(client, "bounded").path("backlog").path("rows").isNumber());
                for (int i = 0; i < 20; i++) {
                    status(client, "bounded");
                    client.get("/api/sources");
                    metrics(client);
                }
                JsonNode backlog = status(client, "bounded").path("backlog");
                assertThat(backlog.path("rows").asLong()).as("stops at backlogLimit").isEqualTo(20);
                assertThat(backlog.path("atLeast").asBoolean()).isTrue();
                assertThat(changeSource(app, "bounded").backlog().queries()).isEqualTo(1);
            }
        }
    }

    /** A central database that stops answering makes the node not ready (503, with the reason), yet live. */
    @Test
    void anUnreachableCentralStoreIsNotReadyButLive() {
        TestDatabase central = TestDatabase.create(Dialect.POSTGRESQL, "unready");
        try (TributaryApp app = TributaryApp.builder().routes("file:routes/central-import.camel.yaml")
                .properties(central.beanProperties("centralDb")).property("camel.beans.centralDb.connectionTimeout", "1000")
                .property("camel.server.port", Integer.toString(TributaryApp.freePort())).start()) {
            CentralClient client = new CentralClient(port(app));
            Await.until("ready", WAIT, () -> client.get("/observe/health/ready").status() == 200);
            central.close(); // drops the database, ending its connections: nothing answers for it any more
            Await.until("not ready", WAIT, () -> client.get("/observe/health/ready").status() == 503);
            assertThat(client.get("/observe/health/ready").json().path("status").asText()).isEqualTo("DOWN");
            CentralClient.Response details = client.get("/observe/health/ready?exposureLevel=full&data=true");
            assertThat(details.status()).isEqualTo(503);
            JsonNode store = null;
            for (JsonNode check : details.json().path("checks")) {
                if (check.path("name").asText().equals("central-store")) {
                    store = check;
                }
            }
            assertThat(store).as(details.body()).isNotNull();
            assertThat(store.path("status").asText()).isEqualTo("DOWN");
            // a dropped pooled connection fails its validation; a new one cannot be opened
            assertThat(store.path("message").asText()).as(store.toString())
                    .matches("(cannot reach the central database: |the central database did not answer within 2 s).*");
            CentralClient.Response live = client.get("/observe/health/live");
            assertThat(live.status()).as("a node whose central database is down is not restarted").isEqualTo(200);
            assertThat(live.json().path("status").asText()).isEqualTo("UP");
        } finally {
            central.close();
        }
    }

    /** The same credentials as the central endpoint, and its error body. */
    @Test
    void theApiNeedsTheCentralCredentials() {
        try (TributaryApp app = TributaryApp.builder().routes("file:routes/central-import.camel.yaml", "file:routes/sources.camel.yaml")
                .properties(db.beanProperties("centralDb")).property("tributary.central.password", "secret")
                .property("camel.server.port", Integer.toString(TributaryApp.freePort())).start()) {
            CentralClient anonymous = new CentralClient(port(app));
            CentralClient.Response refused = anonymous.post("/api/sources/any/pause", "");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().path("errorNum").asInt()).isEqualTo(401);
            assertThat(anonymous.get("/api/sources").status()).isEqualTo(401);
            CentralClient.Response listed = new CentralClient(port(app)).credentials("root", "secret").get("/api/sources");
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.json().path("sources").size()).isZero();
        }
    }

    private static ChangeSource changeSource(TributaryApp app, String id) {
        return (ChangeSource) ((ModelCamelContext) app.context()).getRouteDefinition(id).getRouteTemplateContext()
                .getLocalBeanRepository().lookupByName("source");
    }

    static int port(TributaryApp app) {
        return Integer.parseInt(app.context().resolvePropertyPlaceholders("{{camel.server.port}}"));
    }

    static JsonNode status(CentralClient client, String id) {
        CentralClient.Response r = client.get("/api/sources/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, Double> metrics(CentralClient client) {
        return client.metrics();
    }
}
