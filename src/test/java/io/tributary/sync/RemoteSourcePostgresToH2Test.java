package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sql.Dialect;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** A remote Tributary node on PostgreSQL as the source, a node on H2 as the target; 5,000 documents. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteSourcePostgresToH2Test {

    static final int ROWS = 5000;
    static final String SOURCE_PASSWORD = "source-Pa55-secret";

    SyncNode source;
    SyncNode target;

    @BeforeAll
    void start() {
        source = new SyncNode(Dialect.POSTGRESQL, "syncsrc", SOURCE_PASSWORD, Map.of());
        target = new SyncNode(Dialect.H2, "synctgt", "target-Pa55", SyncNode.peers(source));
        source.load("orders", SyncNode.docs(0, ROWS, "v1"));
    }

    @AfterAll
    void stop() {
        SyncNode.closeAll(source, target);
    }

    private String spec(String options) {
        return target.remoteSpec(source, "orders", "copy", options);
    }

    @Test
    @Order(1)
    void fullSyncCopiesEverythingAndRemovesWhatTheSourceLacks() {
        target.load("copy", java.util.List.of("{\"_key\":\"zz-extra-1\"}", "{\"_key\":\"a-extra\"}", SyncNode.doc(3, "old")));
        // 2 of the target's 3 documents go: more than half, which needs saying so
        JsonNode refused = target.syncAndWait(spec(""));
        assertThat(refused.path("status").asText()).as(refused.toString()).isEqualTo("failed");
        assertThat(refused.path("error").asText()).contains("would delete 2 of the target's 3", "allowMassDelete");
        assertThat(target.count("copy")).isEqualTo(3);
        JsonNode job = target.syncAndWait(spec("\"allowMassDelete\":true"));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/rowsTransferred").asLong()).isEqualTo(ROWS);
        assertThat(job.at("/result/rowsDeleted").asLong()).isEqualTo(2);
        assertThat(job.at("/progress/rowsDone").asLong()).isEqualTo(ROWS);
        assertThat(target.content("copy")).isEqualTo(source.content("orders"));
        assertThat(job.toString()).doesNotContain(SOURCE_PASSWORD);
    }

    @Test
    @Order(2)
    void incrementalMovesOnlyTheDifferences() {
        String t = target.table("copy");
        // 10 updated, 10 deleted, 10 extra rows at the target, spread over a few chunks
        target.execute("DELETE FROM " + t + " WHERE \"_key\" IN ('k00010','k00011','k00012','k01500','k01501','k01502',"
                + "'k03000','k03001','k04998','k04999')");
        target.execute("UPDATE " + t + " SET \"doc\" = '{\"_key\":\"x\"}' WHERE \"_key\" IN ('k00100','k00101','k00102',"
                + "'k02000','k02001','k02002','k02003','k04000','k04001','k04002')");
        for (int i = 0; i < 10; i++) {
            target.execute("INSERT INTO " + t + " (\"_key\", \"_version\", \"doc\") VALUES ('k0" + (2500 + i) + "x', NULL, '{}')");
        }
        // and 5 changed at the source
        source.load("orders", java.util.List.of(SyncNode.doc(7, "v2"), SyncNode.doc(1234, "v2"), SyncNode.doc(2345, "v2"),
                SyncNode.doc(3456, "v2"), SyncNode.doc(4567, "v2")));

        JsonNode job = target.syncAndWait(spec("\"incremental\":true"));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/rowsTransferred").asLong()).as(job.toString()).isEqualTo(25);
        assertThat(job.at("/result/rowsDeleted").asLong()).as(job.toString()).isEqualTo(10);
        assertThat(job.at("/result/chunksCompared").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(target.content("copy")).isEqualTo(source.content("orders"));
        // far less than the full copy moved
        assertThat(job.at("/result/bytesReceived").asLong()).isLessThan(ROWS * 100L / 4);

        JsonNode again = target.syncAndWait(spec("\"incremental\":true"));
        assertThat(again.at("/result/rowsTransferred").asLong()).isZero();
        assertThat(again.at("/result/rowsDeleted").asLong()).isZero();
        assertThat(again.at("/result/chunksDiffering").asLong()).isZero();
    }

    @Test
    @Order(3)
    void dryRunReportsAndWritesNothing() {
        String t = target.table("copy");
        target.execute("UPDATE " + t + " SET \"doc\" = '{\"_key\":\"y\"}' WHERE \"_key\" IN ('k00300','k00301','k00302')");
        target.execute("INSERT INTO " + t + " (\"_key\", \"_version\", \"doc\") VALUES ('zz-dry', NULL, '{}')");
        var before = target.content("copy");
        for (String options : new String[] {"\"incremental\":true,\"dryRun\":true", "\"dryRun\":true"}) {
            JsonNode job = target.syncAndWait(spec(options));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.at("/result/dryRun").asBoolean()).isTrue();
            // the 3 that differ; a full copy also finds the others unchanged
            assertThat(job.at("/result/rowsTransferred").asLong()).isEqualTo(3);
            assertThat(job.at("/result/rowsUnchanged").asLong()).isEqualTo(options.contains("incremental") ? 0 : ROWS - 3);
            assertThat(job.at("/result/rowsDeleted").asLong()).isEqualTo(1);
            assertThat(target.content("copy")).isEqualTo(before);
        }
        target.syncAndWait(spec("\"incremental\":true"));
        assertThat(target.content("copy")).isEqualTo(source.content("orders"));
    }

    @Test
    @Order(3)
    void dryRunIntoAMissingCollectionReportsACompleteCopyAndCreatesNothing() {
        for (String options : new String[] {"\"incremental\":true,\"dryRun\":true", "\"dryRun\":true"}) {
            JsonNode job = target.syncAndWait(target.remoteSpec(source, "orders", "not-yet", options));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.at("/result/dryRun").asBoolean()).isTrue();
            assertThat(job.at("/result/rowsTransferred").asLong()).as(job.toString()).isEqualTo(ROWS);
            assertThat(job.at("/result/rowsTotal").asLong()).isEqualTo(ROWS);
            assertThat(job.at("/result/rowsDeleted").asLong()).isZero();
            assertThat(job.at("/progress/rowsDone").asLong()).isEqualTo(ROWS);
        }
        assertThat(target.client().get("/_api/collection/not-yet/count").status()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void asyncJobReturnsAtOnceAndReportsProgressThenTheResult() {
        var r = target.client().post("/api/sync/jobs", spec(""));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().path("id").asText();
        assertThat(r.json().path("status").asText()).isEqualTo("running");
        JsonNode end = target.awaitEnd(id);
        assertThat(end.path("status").asText()).as(end.toString()).isEqualTo("succeeded");
        assertThat(end.path("durationMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(end.at("/progress/rowsTotal").asLong()).isEqualTo(ROWS);
        var list = target.client().get("/api/sync/jobs");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(id).doesNotContain(SOURCE_PASSWORD);
        assertThat(target.db.query("SELECT * FROM tributary_jobs").toString()).doesNotContain(SOURCE_PASSWORD);
        assertThat(target.client().get("/api/sync/jobs/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        assertThat(new io.tributary.central.CentralClient(target.port).get("/api/sync/jobs").status()).isEqualTo(401);
    }

    @Test
    @Order(5)
    void refusesUnsafeJobs() {
        // into itself: the source node syncing its own collection from its own URL
        var self = source.client().post("/api/sync/jobs", source.remoteSpec(source, "orders", "orders", ""));
        assertThat(self.status()).as(self.body()).isEqualTo(400);
        assertThat(self.body()).contains("itself");
        var noTarget = target.client().post("/api/sync/jobs", "{\"source\":{\"url\":\"" + source.url()
                + "\",\"collection\":\"orders\"}}");
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(noTarget.body()).contains("target.collection");
        var badTable = target.client().post("/api/sync/jobs", "{\"source\":{\"dataSource\":\"centralDb\",\"table\":\"x; drop\","
                + "\"keyColumn\":\"id\"},\"target\":{\"collection\":\"c\"}}");
        assertThat(badTable.status()).isEqualTo(400);
    }

    @Test
    @Order(6)
    void wrongSourcePasswordFailsTheJobWithoutEchoingIt() {
        String spec = spec("").replace(SOURCE_PASSWORD, "not-the-Pa55");
        JsonNode job = target.syncAndWait(spec);
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText()).contains("401");
        assertThat(job.toString()).doesNotContain("not-the-Pa55");
    }

    @Test
    @Order(7)
    void concurrentWritesDuringASyncDoNotBreakIt() throws Exception {
        Thread writer = new Thread(() -> {
            for (int round = 0; round < 10; round++) {
                source.load("orders", SyncNode.docs(ROWS + round * 20, ROWS + round * 20 + 20, "late"));
                source.load("orders", java.util.List.of(SyncNode.doc(round * 300, "late" + round)));
            }
        });
        var r = target.client().post("/api/sync/jobs", spec("\"incremental\":true,\"chunkSize\":100"));
        writer.start();
        JsonNode first = target.awaitEnd(r.json().path("id").asText());
        writer.join();
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        JsonNode second = target.syncAndWait(spec("\"incremental\":true"));
        assertThat(second.path("status").asText()).isEqualTo("succeeded");
        assertThat(target.content("copy")).isEqualTo(source.content("orders"));
        assertThat(target.count("copy")).isEqualTo(ROWS + 200);
    }
}
