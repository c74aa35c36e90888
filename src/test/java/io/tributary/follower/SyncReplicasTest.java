package io.tributary.follower;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A primary without followers: a write tells its last tick, and a synchronous write times out saying it is committed;
 * a reader passing {@code follower=} counts as a replica (the documented limit).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncReplicasTest {

    private TestDatabase db;
    private TributaryApp app;
    private CentralClient client;

    @BeforeAll
    void start() {
        db = TestDatabase.create(Dialect.H2, "sync_replicas");
        int port = TributaryApp.freePort();
        app = TributaryApp.builder().properties(db.beanProperties("centralDb")).property("camel.server.port", "" + port)
                .routes("file:routes/central-import.camel.yaml", "file:routes/change-log.camel.yaml").start();
        client = new CentralClient(port);
    }

    @AfterAll
    void stop() {
        app.close();
        db.close();
    }

    @Test
    void aWriteTellsItsLastTickAndASynchronousOneTimesOutSayingItIsCommitted() {
        var first = client.post("/_api/import?collection=c&type=array&createCollection=true", "[{\"_key\":\"a\"},{\"_key\":\"b\"}]",
                "X-Tributary-Last-Tick", "999999");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        long tick = Long.parseLong(first.raw().headers().firstValue("X-Tributary-Last-Tick").orElseThrow());
        assertThat(tick).isEqualTo(client.get("/_api/tributary/log/state").json().path("lastTick").asLong());

        // nothing written (ignored duplicate): no tick, whatever the request carried
        var ignored = client.post("/_api/import?collection=c&type=array&onDuplicate=ignore", "[{\"_key\":\"a\"}]",
                "X-Tributary-Last-Tick", "999999");
        assertThat(ignored.raw().headers().firstValue("X-Tributary-Last-Tick")).isEmpty();

        var timeout = client.send("PUT", "/_api/document/c/a?syncReplicas=1&syncTimeout=1", "{\"x\":1}");
        assertThat(timeout.status()).as(timeout.body()).isEqualTo(503);
        assertThat(timeout.json().path("errorNum").asInt()).isEqualTo(1429);
        assertThat(timeout.json().path("errorMessage").asText()).isEqualTo("the write IS committed on the primary (database"
                + " '_system', last tick " + (tick + 1) + ") but only 0 of the 1 follower(s) asked for (syncReplicas) applied it"
                + " within 1 s (syncTimeout); followers: none has read this node's log. It reaches them when they catch up;"
                + " do not repeat the write as if it had failed");
        assertThat(client.get("/_api/document/c/a").json().path("x").asInt()).isEqualTo(1);

        var bad = client.post("/_api/import?collection=c&type=array&syncReplicas=-1", "[{\"_key\":\"z\"}]");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errorMessage").asText()).isEqualTo("query parameter 'syncReplicas' must be a whole number"
                + " from 0 to 100, not '-1'");
        // the same true range whichever side a wrong timeout is on
        for (String seconds : new String[] {"0", "301"}) {
            var wrong = client.post("/_api/import?collection=c&type=array&syncReplicas=1&syncTimeout=" + seconds, "[{\"_key\":\"z\"}]");
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.json().path("errorMessage").asText()).isEqualTo("query parameter 'syncTimeout' must be a whole number"
                    + " from 1 to 300, not '" + seconds + "'");
        }
        assertThat(client.get("/_api/document/c/z").status()).as("refused before the write").isEqualTo(404);
    }

    /**
     * What docs/replication.md warns about: the primary takes any reader's {@code follower=} for a follower, so a
     * monitoring script passing one counts as a replica and answers a synchronous write no follower applied.
     */
    @Test
    void anyReaderNamingItselfAFollowerCountsAsAReplica() throws Exception {
        // a database of its own: the other test's message lists the followers of _system
        String db = "/_db/monitored";
        long before = client.get(db + "/_api/tributary/log/state").json().path("lastTick").asLong();
        var write = CompletableFuture.supplyAsync(() -> client.post(db
                + "/_api/import?collection=m&type=array&createCollection=true&syncReplicas=1&syncTimeout=60", "[{\"_key\":\"m\"}]"));
        Await.until("the write committed", Duration.ofSeconds(30),
                () -> client.get(db + "/_api/tributary/log/state").json().path("lastTick").asLong() > before);
        long last = client.get(db + "/_api/tributary/log/state").json().path("lastTick").asLong();
        assertThat(client.get(db + "/_api/tributary/log?from=" + last + "&follower=monitoring-script").status()).isEqualTo(200);
        var answer = write.get(30, TimeUnit.SECONDS);
        assertThat(answer.status()).as("answered as applied by a replica, though no follower exists").isEqualTo(201);
    }
}
