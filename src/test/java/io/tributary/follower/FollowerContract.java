package io.tributary.follower;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.central.CollectionStore;
import io.tributary.log.ChangeLog;
import io.tributary.log.LogEntry;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes in this JVM, both central stores on the dialect under test: a primary, and a follower whose route
 * (template tributary-follower) follows the primary's database {@code _system}. Concurrent mixed writes end
 * equal on both, with the follower's own log in the primary's order; a write arrives live; the follower is
 * read-only; a node refuses to follow itself; a synchronous write is answered once the follower holds it,
 * else 503 saying it is committed; a follower stopped past the primary's retention syncs again and catches up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FollowerContract {

    abstract Dialect dialect();

    private static final boolean SOAK = Boolean.getBoolean("tributary.soak");
    private static final long WRITES = SOAK ? 100_000 : 10_000;
    private static final String PASSWORD = "pw-primary";
    private static final String ROUTE = "follower-main";
    /** The routes a follower node and its primary load (the other follower tests use them too). */
    static final String[] ROUTES = {"file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
            "file:routes/collection-sync.camel.yaml", "file:routes/change-log.camel.yaml", "file:routes/followers.camel.yaml",
            "file:routes/follower-template.camel.yaml"};

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private TestDatabase primaryDb;
    private TestDatabase followerDb;
    private TributaryApp primary;
    private TributaryApp follower;
    private String primaryUrl;
    private CentralClient toPrimary;
    private CentralClient toFollower;

    @BeforeAll
    void start() throws IOException {
        String label = dialect().name().toLowerCase();
        primaryDb = TestDatabase.create(dialect(), "follow_primary");
        followerDb = TestDatabase.create(dialect(), "follow_follower");
        Path dir = Files.createDirectories(Path.of("target", "follower-test", label).toAbsolutePath());
        int primaryPort = TributaryApp.freePort();
        primaryUrl = "http://127.0.0.1:" + primaryPort;
        // the primary also names itself as the primary of another database: refused at the handshake
        Path self = follower(dir.resolve("self.camel.yaml"), "self", "follower-self", primaryUrl, "selfdb");
        primary = TributaryApp.builder().properties(primaryDb.beanProperties("centralDb"))
                .property("camel.beans.centralDb.maximumPoolSize", "16")
                .property("camel.server.port", "" + primaryPort)
                .property("tributary.central.password", PASSWORD)
                .property("tributary.sync.peers", primaryUrl)
                .routes(append(ROUTES, "file:" + self)).start();
        toPrimary = new CentralClient(primaryPort).credentials("root", PASSWORD);

        int followerPort = TributaryApp.freePort();
        Path main = follower(dir.resolve("main.camel.yaml"), "main", ROUTE, primaryUrl, "_system");
        follower = TributaryApp.builder().properties(followerDb.beanProperties("centralDb"))
                .property("camel.beans.centralDb.maximumPoolSize", "8")
                .property("camel.server.port", "" + followerPort)
                .property("tributary.sync.peers", primaryUrl)
                .routes(append(ROUTES, "file:" + main)).start();
        toFollower = new CentralClient(followerPort);
    }

    @AfterAll
    void stop() {
        for (TributaryApp app : new TributaryApp[] {follower, primary}) {
            if (app != null) {
                app.close();
            }
        }
        primaryDb.close();
        followerDb.close();
    }

    private static String[] append(String[] routes, String more) {
        String[] all = java.util.Arrays.copyOf(routes, routes.length + 1);
        all[routes.length] = more;
        return all;
    }

    /** A follower file as an operator writes it (routes/examples/follow-primary.camel.yaml). */
    private static Path follower(Path file, String name, String routeId, String url, String database) throws IOException {
        Files.writeString(file, "- templatedRoute:\n    routeTemplateRef: tributary-follower\n    routeId: " + routeId
                + "\n    parameters:\n      - { name: name, value: " + name + " }\n      - { name: primaryUrl, value: \"" + url
                + "\" }\n      - { name: primaryPassword, value: " + PASSWORD + " }\n      - { name: database, value: \""
                + database + "\" }\n      - { name: waitSeconds, value: \"2\" }\n      - { name: retryDelayMs, value: \"500\" }\n");
        return file;
    }

    private long primaryLastTick() {
        return toPrimary.get("/_api/tributary/log/state").json().path("lastTick").asLong();
    }

    private JsonNode status() {
        return toFollower.get("/api/followers/main").json();
    }

    private void awaitCaughtUp() {
        long last = primaryLastTick();
        Await.until("the follower applied tick " + last, Duration.ofMinutes(SOAK ? 10 : 3),
                () -> status().path("appliedTick").asLong(-1) >= last, () -> status().toString());
    }

    private void assertEqualCollections() {
        for (String c : MixedWrites.COLLECTIONS) {
            var onPrimary = ReplicaCheck.rows(primaryDb, "_system", c);
            var onFollower = ReplicaCheck.rows(followerDb, "_system", c);
            assertThat(ReplicaCheck.differences(onPrimary, onFollower)).as("collection %s (%d rows on the primary)", c,
                    onPrimary.size()).isEmpty();
        }
    }

    private ChangeLog log(TributaryApp app) {
        return app.bean("centralStore", CollectionStore.class).changeLog();
    }

    @Test
    @Order(1)
    void concurrentMixedWritesEndEqualInThePrimarysOrder() throws Exception {
        Await.until("the follower in sync", Duration.ofMinutes(1), () -> "in-sync".equals(status().path("state").asText()),
                () -> status().toString());
        long written = new MixedWrites(toPrimary, seed.value(), SOAK ? 20_000 : 2_000, 1_000_000).run(8, WRITES);
        awaitCaughtUp();
        assertEqualCollections();
        List<LogEntry> primaryLog = ReplicaCheck.log(log(primary), "_system", 0);
        List<LogEntry> followerLog = ReplicaCheck.log(log(follower), "_system", 0);
        List<Long> matched = ReplicaCheck.assertFollowsInOrder(primaryLog, followerLog);
        System.out.println("FOLLOWER " + dialect() + ": " + written + " writes, primary log " + primaryLog.size()
                + " entries, follower log " + followerLog.size() + " (" + matched.size() + " matched in order)");
        JsonNode s = status();
        System.out.println("FOLLOWER status " + s);
        assertThat(s.path("state").asText()).isEqualTo("in-sync");
        assertThat(s.path("lagTicks").asLong()).isZero();
        assertThat(s.path("primary").asText()).isEqualTo(primaryUrl);
        assertThat(s.path("primaryServerId").asText()).isEqualTo(log(primary).serverId());
        // the primary's commit time of the last applied entry, as the primary's log has it
        long last = primaryLastTick();
        assertThat(Instant.parse(s.path("appliedTime").asText()))
                .isEqualTo(log(primary).read("_system", last - 1, 1, Duration.ZERO).entries().get(0).time());
        String metrics = toFollower.get("/observe/metrics").body();
        assertThat(metrics).contains("tributary_follower_lag_ticks{database=\"_system\",follower=\"main\"} 0.0")
                .contains("tributary_follower_lag_seconds{database=\"_system\",follower=\"main\"} 0.0");
    }

    @Test
    @Order(2)
    void aWriteAppearsAtTheFollowerLive() {
        var r = toPrimary.post("/_api/import?collection=live&type=array&createCollection=true", "[{\"_key\":\"now\",\"x\":1}]");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        Await.until("the document at the follower", Duration.ofSeconds(30),
                () -> toFollower.get("/_api/document/live/now").status() == 200, () -> status().toString());
        assertThat(toFollower.get("/_api/document/live/now").json().path("x").asInt()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aFollowedDatabaseIsReadOnly() {
        var r = toFollower.post("/_api/import?collection=live&type=array", "[{\"_key\":\"mine\"}]");
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        System.out.println("FOLLOWER 403 " + r.body());
        assertThat(r.json().path("errorNum").asInt()).isEqualTo(1004);
        assertThat(r.json().path("errorMessage").asText()).isEqualTo("database '_system' is a read-only follower of "
                + primaryUrl + ": write to the primary (or set tributary.follower.writable=true on this node)");
        assertThat(toFollower.method("DELETE", "/_api/document/live/now").status()).isEqualTo(403);
        assertThat(toFollower.get("/_api/document/live/now").status()).isEqualTo(200);
        // another database of the follower takes writes
        assertThat(toFollower.post("/_db/other/_api/import?collection=mine&type=array&createCollection=true",
                "[{\"_key\":\"a\"}]").status()).isEqualTo(201);
    }

    @Test
    @Order(4)
    void aNodeRefusesToFollowItself() {
        Await.until("the self-follower failing", Duration.ofSeconds(30),
                () -> toPrimary.get("/api/followers/self").json().path("state").asText().equals("failing"));
        JsonNode self = toPrimary.get("/api/followers/self").json();
        assertThat(self.path("lastError").asText()).startsWith("a node cannot follow itself: follower 'self' names "
                + primaryUrl + ", whose server id " + log(primary).serverId() + " is this node's own");
        assertThat(toPrimary.get("/_db/selfdb/_api/collection").json().path("result")).isEmpty();
        String health = toPrimary.get("/observe/health?exposureLevel=full&data=true").body();
        System.out.println("FOLLOWER health " + health);
        assertThat(health).contains("\"name\":\"follower:self\",\"status\":\"UP\"").contains("failing: a node cannot follow itself");
        assertThat(toPrimary.get("/observe/health/live").status()).isEqualTo(200);
        assertThat(toFollower.get("/observe/health?exposureLevel=full&data=true").body())
                .contains("\"name\":\"follower:main\",\"status\":\"UP\"");
    }

    @Test
    @Order(5)
    void aSynchronousWriteIsAnsweredOnceTheFollowerHoldsIt() {
        for (int i = 0; i < 5; i++) {
            var r = toPrimary.post("/_api/import?collection=sync&type=array&createCollection=true&syncReplicas=1&syncTimeout=30",
                    "[{\"_key\":\"s" + i + "\",\"i\":" + i + "}]");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            long tick = Long.parseLong(r.raw().headers().firstValue("X-Tributary-Last-Tick").orElseThrow());
            // the follower has it when the answer arrives: no waiting here
            assertThat(toFollower.get("/_api/document/sync/s" + i).status()).as("s" + i + " at tick " + tick).isEqualTo(200);
        }
        var doc = toPrimary.send("PATCH", "/_api/document/sync/s0?syncReplicas=1&syncTimeout=30", "{\"patched\":true}");
        assertThat(doc.status()).as(doc.body()).isEqualTo(202);
        assertThat(toFollower.get("/_api/document/sync/s0").json().path("patched").asBoolean()).isTrue();

        var timeout = toPrimary.post("/_api/import?collection=sync&type=array&syncReplicas=2&syncTimeout=1",
                "[{\"_key\":\"two\"}]");
        assertThat(timeout.status()).as(timeout.body()).isEqualTo(503);
        System.out.println("FOLLOWER 503 " + timeout.body());
        assertThat(timeout.json().path("errorNum").asInt()).isEqualTo(1429);
        String followerId = log(follower).serverId();
        assertThat(timeout.json().path("errorMessage").asText())
                .startsWith("the write IS committed on the primary (database '_system', last tick ")
                .contains("but only 1 of the 2 follower(s) asked for (syncReplicas) applied it within 1 s (syncTimeout);"
                        + " followers: " + followerId + " at tick ")
                .endsWith(". It reaches them when they catch up; do not repeat the write as if it had failed");
        assertThat(toPrimary.get("/_api/document/sync/two").status()).isEqualTo(200);
        assertThat(toPrimary.post("/_api/import?collection=sync&type=array&syncReplicas=x", "[]").status()).isEqualTo(400);
    }

    @Test
    @Order(6)
    void aFollowerStoppedPastRetentionSyncsAgainAndCatchesUp() throws Exception {
        follower.context().getRouteController().stopRoute(ROUTE);
        long stoppedAt = status().path("appliedTick").asLong();
        new MixedWrites(toPrimary, seed.value() + 1, 300, 1_000_000_000).run(2, 2_000);
        ChangeLog primaryLog = log(primary);
        primaryLog.setRetentionEntries(10);
        try {
            primaryLog.prune();
        } finally {
            primaryLog.setRetentionEntries(0);
        }
        long oldest = toPrimary.get("/_api/tributary/log/state").json().path("oldestTick").asLong();
        assertThat(oldest).isGreaterThan(stoppedAt + 1);
        var gone = toPrimary.get("/_api/tributary/log?from=" + stoppedAt);
        assertThat(gone.status()).as(gone.body()).isEqualTo(410);
        int syncJobsBefore = toFollower.get("/api/jobs?kind=sync").json().path("jobs").size();

        follower.context().getRouteController().startRoute(ROUTE);
        awaitCaughtUp();
        assertEqualCollections();
        assertThat(toFollower.get("/api/jobs?kind=sync").json().path("jobs").size())
                .as("one sync job per collection of the primary").isGreaterThan(syncJobsBefore);
        // tails on live after the new sync
        var r = toPrimary.post("/_api/import?collection=live&type=array", "[{\"_key\":\"after-resync\"}]");
        assertThat(r.status()).isEqualTo(201);
        Await.until("the write after the resync at the follower", Duration.ofSeconds(30),
                () -> toFollower.get("/_api/document/live/after-resync").status() == 200, () -> status().toString());
    }
}
