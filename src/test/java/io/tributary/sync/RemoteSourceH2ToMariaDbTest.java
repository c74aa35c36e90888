package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.GatedProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node on H2 as the source, a node on MariaDB as the target: incremental into an empty collection,
 * the command line, and the scheduled example route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteSourceH2ToMariaDbTest {

    static final int ROWS = 3000;

    SyncNode source;
    SyncNode target;
    /** The gated proxy's port, chosen before the target starts so that it can be listed as a peer. */
    final int proxyPort = io.tributary.testing.TributaryApp.freePort();

    @BeforeAll
    void start() {
        source = new SyncNode(Dialect.H2, "h2src", "pw-h2-source", Map.of());
        target = new SyncNode(Dialect.MARIADB, "mdbtgt", "pw-mariadb-target",
                Map.of(SyncNode.PEERS, source.url() + ",http://127.0.0.1:" + proxyPort));
        source.load("events", SyncNode.docs(0, ROWS, "e"));
    }

    @AfterAll
    void stop() {
        SyncNode.closeAll(source, target);
    }

    @Test
    void incrementalIntoAnEmptyCollectionCopiesEverything() {
        JsonNode job = target.syncAndWait(target.remoteSpec(source, "events", "events", "\"incremental\":true"));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/rowsTransferred").asLong()).isEqualTo(ROWS);
        assertThat(target.content("events")).isEqualTo(source.content("events"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunningJobShowsItsProgressLiveAndInTheJobTable() throws Exception {
        // the proxy lets the first page of 1,000 documents through and holds the next until released
        try (GatedProxy proxy = new GatedProxy(source.url(), 1, proxyPort)) {
            String spec = target.remoteSpec(source, "events", "events_progress", "").replace(source.url(), proxy.url());
            var r = target.client().post("/api/sync/jobs", spec);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            String id = r.json().path("id").asText();

            JsonNode[] live = {null};
            Await.until("live progress", Duration.ofSeconds(30), () -> {
                live[0] = target.job(id);
                return live[0].at("/progress/rowsDone").asLong() > 0;
            }, () -> String.valueOf(live[0]));
            assertThat(live[0].path("status").asText()).isEqualTo("running");
            assertThat(live[0].at("/progress/rowsDone").asLong()).isEqualTo(1000);
            assertThat(live[0].at("/progress/rowsTotal").asLong()).isEqualTo(ROWS);

            // what another process, or this one after a crash, would see
            Map<String, Object>[] stored = new Map[1];
            Await.until("progress in the job table", Duration.ofSeconds(30), () -> {
                stored[0] = target.db.query("SELECT status, details FROM tributary_jobs WHERE id = ?", id).get(0);
                return json(stored[0].get("details")).at("/progress/rowsDone").asLong() > 0;
            }, () -> String.valueOf(stored[0]));
            assertThat(stored[0].get("status")).isEqualTo("running");
            assertThat(json(stored[0].get("details")).at("/progress/rowsDone").asLong()).isEqualTo(1000);

            proxy.release();
            JsonNode end = target.awaitEnd(id);
            assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("succeeded");
            assertThat(end.at("/progress/rowsDone").asLong()).isEqualTo(ROWS);
            assertThat(target.content("events_progress")).isEqualTo(source.content("events"));
        }
    }

    @Test
    void commandLineRunsOneSyncAndExitsWithItsOutcome() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = {"--source-url", source.url(), "--source-collection", "events", "--source-user", SyncNode.USER,
                "--source-password-env", "SRC_PW", "--target-jdbc-url", target.db.jdbcUrl(), "--target-jdbc-user",
                target.db.user(), "--target-collection", "events_cli"};
        int code = SyncCommand.run(args, Map.of("SRC_PW", source.password), print(out), print(err));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"rowsTransferred\" : " + ROWS)
                .doesNotContain(source.password);
        assertThat(target.content("events_cli")).isEqualTo(source.content("events"));

        int refused = SyncCommand.run(args, Map.of("SRC_PW", "wrong"), print(out), print(err));
        assertThat(refused).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("401");
        assertThat(SyncCommand.run(new String[] {"--source-url", source.url()}, Map.of(), print(out), print(err))).isEqualTo(2);

        // the delete limit holds on the command line too: 2 source documents would replace ROWS
        source.load("few", SyncNode.docs(0, 2, "few"));
        String[] few = args.clone();
        few[3] = "few";
        err.reset();
        assertThat(SyncCommand.run(few, Map.of("SRC_PW", source.password), print(out), print(err))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("would delete " + (ROWS - 2), "--allow-mass-delete");
        assertThat(target.count("events_cli")).isEqualTo(ROWS);
        String[] allowed = java.util.Arrays.copyOf(few, few.length + 1);
        allowed[few.length] = "--allow-mass-delete";
        assertThat(SyncCommand.run(allowed, Map.of("SRC_PW", source.password), print(out), print(err))).isZero();
        assertThat(target.count("events_cli")).isEqualTo(2);

        // no allow-list on the command line (the operator holds the credentials), but never a system catalog
        err.reset();
        assertThat(SyncCommand.run(new String[] {"--source-jdbc-url", target.db.jdbcUrl(), "--source-jdbc-user",
                target.db.user(), "--source-table", "mysql.user", "--key-column", "User", "--target-jdbc-url",
                target.db.jdbcUrl(), "--target-jdbc-user", target.db.user(), "--target-collection", "users"},
                Map.of(), print(out), print(err))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("system catalog");
    }

    @Test
    void theExampleRouteRunsASyncOnSchedule() {
        source.load("orders", SyncNode.docs(0, 50, "o"));
        target.stopApp();
        target.app = io.tributary.testing.TributaryApp.builder().properties(target.db.beanProperties("centralDb"))
                .property("camel.server.port", "" + target.port)
                .property("tributary.central.username", SyncNode.USER).property("tributary.central.password", target.password)
                .property("tributary.sync.orders-cron", "0/2 * * * * ?")
                .property(SyncNode.PEERS, source.url())
                .property("tributary.sync.orders-url", source.url())
                .property("tributary.sync.orders-username", SyncNode.USER)
                .property("tributary.sync.orders-password", source.password)
                .routes("file:routes/central-import.camel.yaml", "file:routes/collection-sync.camel.yaml", "file:routes/jobs.camel.yaml",
                        "file:routes/examples/nightly-sync.camel.yaml")
                .start();
        Await.until("the scheduled sync to copy orders", Duration.ofSeconds(30), () -> {
            try {
                return target.count("orders") == 50;
            } catch (RuntimeException e) {
                return false;
            }
        });
        assertThat(target.content("orders")).isEqualTo(source.content("orders"));
    }

    private static JsonNode json(Object text) {
        try {
            return Json.MAPPER.readTree(String.valueOf(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
