package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Timeout, cancel and restart, against a source that accepts connections and never answers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncJobLifecycleTest {

    SyncNode node;
    ServerSocket silent;
    final List<Socket> held = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        silent = new ServerSocket(0);
        Thread accept = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept()); // read nothing, answer nothing
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        node = new SyncNode(Dialect.H2, "lifecycle", "pw-lifecycle",
                Map.of(SyncNode.PEERS, "http://127.0.0.1:" + silent.getLocalPort()));
    }

    @AfterAll
    void stop() throws IOException {
        silent.close();
        for (Socket s : held) {
            s.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private String silentSpec(String collection, String options) {
        return "{\"source\":{\"url\":\"http://127.0.0.1:" + silent.getLocalPort() + "\",\"collection\":\"x\"},"
                + "\"target\":{\"collection\":\"" + collection + "\"}" + options + "}";
    }

    @Test
    void maxWaitTimeEndsTheJobWithAClearError() {
        long started = System.nanoTime();
        JsonNode job = node.syncAndWait(silentSpec("timed", ",\"maxWaitSeconds\":2"));
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText()).contains("timed out").contains("maxWaitSeconds=2");
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(1500L, 15_000L);
    }

    /** A sync that never heard from its source leaves no new, empty target collection behind. */
    @Test
    void aSyncThatFailsBeforeTheSourceAnswersCreatesNoTarget() {
        JsonNode job = node.syncAndWait(silentSpec("never", ",\"maxWaitSeconds\":1"));
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(node.client().get("/_api/collection/never/count").status()).isEqualTo(404);
    }

    @Test
    void cancelStopsARunningJob() {
        var r = node.client().post("/api/sync/jobs", silentSpec("cancelled", ""));
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().path("id").asText();
        assertThat(node.job(id).path("status").asText()).isEqualTo("running");
        // a second job into the same collection waits its turn: refused while one runs
        assertThat(node.client().post("/api/sync/jobs", silentSpec("cancelled", "")).status()).isEqualTo(409);
        var cancel = node.client().method("DELETE", "/api/sync/jobs/" + id);
        assertThat(cancel.status()).isEqualTo(200);
        JsonNode end = node.awaitEnd(id);
        assertThat(end.path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void theJobApiListsJobsOfEveryKind() {
        JsonNode job = node.syncAndWait(silentSpec("listed", ",\"maxWaitSeconds\":1"));
        String id = job.path("id").asText();
        var one = node.client().get("/api/jobs/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("kind").asText()).isEqualTo("sync");
        assertThat(one.json().path("target").path("collection").asText()).isEqualTo("listed");
        assertThat(node.client().get("/api/jobs").json().path("jobs").findValuesAsText("id")).contains(id);
        assertThat(node.client().get("/api/jobs?kind=sync").json().path("jobs").findValuesAsText("id")).contains(id);
        assertThat(node.client().get("/api/jobs?kind=backup").json().path("jobs").findValuesAsText("id")).doesNotContain(id);
        var badKind = node.client().get("/api/jobs?kind=syncs");
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.json().path("errorMessage").asText()).contains("'kind' must be one of sync, backup, restore");
        assertThat(node.client().get("/api/jobs/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    }

    /** A misspelled query parameter is named in a 400; it was ignored (a job started, without waiting). */
    @Test
    void unknownQueryParametersAreRefused() {
        assertRefused(node.client().post("/api/sync/jobs?wiat=true", silentSpec("misspelled", ",\"maxWaitSeconds\":1")),
                "unknown query parameter 'wiat'; known: wait");
        assertRefused(node.client().get("/api/sync/jobs?status=running"), "unknown query parameter 'status'; known: none");
        assertRefused(node.client().method("DELETE", "/api/sync/jobs/00000000-0000-0000-0000-000000000000?now=true"),
                "unknown query parameter 'now'; known: none");
        assertThat(node.client().get("/api/jobs").body()).doesNotContain("\"misspelled\"");
    }

    /**
     * A flag or number that is not one is named in a 400: "dryRun": "yes" ran a real sync, ?wait=yes answered
     * at once, "maxWaitSeconds": "ten" had no limit.
     */
    @Test
    void valuesOfTheWrongTypeAreRefused() {
        assertRefused(node.client().post("/api/sync/jobs?wait=yes", silentSpec("typo1", ",\"maxWaitSeconds\":1")),
                "query parameter 'wait' must be true or false, not 'yes'");
        assertRefused(node.client().post("/api/sync/jobs", silentSpec("typo2", ",\"dryRun\":\"yes\"")),
                "'dryRun' must be true or false, not 'yes'");
        assertRefused(node.client().post("/api/sync/jobs", silentSpec("typo3", ",\"incremental\":1")),
                "'incremental' must be true or false, not '1'");
        assertRefused(node.client().post("/api/sync/jobs", silentSpec("typo4", ",\"maxWaitSeconds\":\"ten\"")),
                "'maxWaitSeconds' must be a whole number, not 'ten'");
        assertRefused(node.client().post("/api/sync/jobs", silentSpec("typo5", ",\"chunkSize\":100.5")),
                "'chunkSize' must be a whole number, not '100.5'");
        assertThat(node.client().get("/api/jobs").body()).doesNotContain("\"typo");
    }

    /** What a target node calls names its parameters strictly too: a misspelled limit read the default page. */
    @Test
    void theSourceSideRefusesUnknownParameters() {
        node.load("served", SyncNode.docs(1, 5, "a"));
        String api = "/_api/tributary/sync/served";
        assertThat(node.client().get(api + "/keys?limit=2").json().path("keys").size()).isEqualTo(2);
        assertRefused(node.client().get(api + "/keys?limt=2"),
                "unknown query parameter 'limt'; known: after, hash, limit, upTo");
        assertRefused(node.client().get(api + "/ranges?chunkSize=16&chunk=2"),
                "unknown query parameter 'chunk'; known: after, chunkSize, chunks, hash, upTo");
        assertRefused(node.client().post(api + "/documents", "{\"keys\":[\"k1\"],\"limt\":1}"), "unknown field 'limt'");
    }

    private static void assertRefused(CentralClient.Response r, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("errorMessage").asText()).isEqualTo(message);
    }

    @Test
    void jobsRunningAtARestartShowAsInterrupted() {
        var r = node.client().post("/api/sync/jobs", silentSpec("restarted", ""));
        String id = r.json().path("id").asText();
        // a crash leaves the row as it was: simulate one on top of the graceful stop
        node.execute("INSERT INTO tributary_jobs (id, kind, status, error, created_at, details) VALUES"
                + " ('11111111-2222-3333-4444-555555555555', 'sync', 'running', NULL, LOCALTIMESTAMP,"
                + " '{\"id\":\"11111111-2222-3333-4444-555555555555\",\"status\":\"running\"}')");
        node.stopApp();
        // a clean stop marks the job itself: read the table directly, before any restart could mark it
        var stored = node.db.query("SELECT status, error FROM tributary_jobs WHERE id = ?", id).get(0);
        assertThat(stored.get("status")).as(stored.toString()).isEqualTo("failed");
        assertThat(stored.get("error")).isEqualTo("interrupted");
        node.start(Map.of());
        for (String job : new String[] {id, "11111111-2222-3333-4444-555555555555"}) {
            JsonNode after = node.job(job);
            assertThat(after.path("status").asText()).as(after.toString()).isEqualTo("failed");
            assertThat(after.path("error").asText()).isEqualTo("interrupted");
        }
    }
}
