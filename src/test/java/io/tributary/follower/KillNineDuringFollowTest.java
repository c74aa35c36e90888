package io.tributary.follower;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.log.LogEntry;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL of a follower node, and of its primary, while clients write the primary (both nodes in their own
 * JVMs, central stores on PostgreSQL). After each restart the follower catches up: both nodes hold the same
 * documents and versions, and the follower's own log is the primary's in the primary's order, each entry
 * matched to a later primary entry than the one before: nothing missed, nothing applied twice. CI: 3 follower
 * and 2 primary kills; {@code -Dtributary.soak=true}: 20 and 10.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillNineDuringFollowTest {

    private static final boolean SOAK = Boolean.getBoolean("tributary.soak");
    private static final int FOLLOWER_KILLS = SOAK ? 20 : 3;
    private static final int PRIMARY_KILLS = SOAK ? 10 : 2;
    private static final int WRITES = SOAK ? 5_000 : 2_000;
    private static final String PASSWORD = "pw-kill9-follow";
    private static final String[] ROUTES = {"file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
            "file:routes/collection-sync.camel.yaml", "file:routes/change-log.camel.yaml"};

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    private TestDatabase primaryDb;
    private TestDatabase followerDb;
    private Path dir;
    private Path followerFile;
    private final int primaryPort = TributaryApp.freePort();
    private final int followerPort = TributaryApp.freePort();
    private final CentralClient toPrimary = new CentralClient(primaryPort).credentials("root", PASSWORD);
    private final CentralClient toFollower = new CentralClient(followerPort).credentials("root", PASSWORD);
    private TributaryProcess primary;
    private TributaryProcess follower;
    private long nextVersion = 1_000_000;

    @BeforeAll
    void databases() throws IOException {
        primaryDb = TestDatabase.create(Dialect.POSTGRESQL, "kill9_follow_primary");
        followerDb = TestDatabase.create(Dialect.POSTGRESQL, "kill9_follow_follower");
        dir = Files.createDirectories(Path.of("target", "fault", "kill9-follow").toAbsolutePath());
        followerFile = dir.resolve("follow.camel.yaml");
        Files.writeString(followerFile, "- templatedRoute:\n    routeTemplateRef: tributary-follower\n    routeId: follower-main\n"
                + "    parameters:\n      - { name: name, value: main }\n      - { name: primaryUrl, value: \"http://127.0.0.1:"
                + primaryPort + "\" }\n      - { name: primaryPassword, value: " + PASSWORD + " }\n"
                + "      - { name: waitSeconds, value: \"2\" }\n      - { name: limit, value: \"200\" }\n"
                + "      - { name: retryDelayMs, value: \"300\" }\n");
    }

    @AfterAll
    void stop() {
        for (TributaryProcess p : new TributaryProcess[] {follower, primary}) {
            if (p != null) {
                p.close();
            }
        }
        primaryDb.close();
        followerDb.close();
    }

    private TributaryProcess startPrimary() {
        TributaryProcess p = TributaryProcess.builder("primary").logDir(dir).routes(ROUTES)
                .property("camel.server.port", String.valueOf(primaryPort)).properties(primaryDb.beanProperties("centralDb"))
                .property("camel.beans.centralDb.maximumPoolSize", "12")
                .property("tributary.central.password", PASSWORD).start();
        p.awaitStarted(Duration.ofMinutes(1));
        primary = p;
        return p;
    }

    private TributaryProcess startFollower() {
        String[] routes = java.util.Arrays.copyOf(ROUTES, ROUTES.length + 3);
        routes[ROUTES.length] = "file:routes/followers.camel.yaml";
        routes[ROUTES.length + 1] = "file:routes/follower-template.camel.yaml";
        routes[ROUTES.length + 2] = "file:" + followerFile;
        TributaryProcess p = TributaryProcess.builder("follower").logDir(dir).routes(routes)
                .property("camel.server.port", String.valueOf(followerPort)).properties(followerDb.beanProperties("centralDb"))
                .property("tributary.central.password", PASSWORD)
                .property("tributary.sync.peers", "http://127.0.0.1:" + primaryPort).start();
        p.awaitStarted(Duration.ofMinutes(1));
        follower = p;
        return p;
    }

    private JsonNode status() {
        var r = toFollower.get("/api/followers/main");
        return r.status() == 200 ? r.json() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** Waits until the follower applied the primary's last tick, then compares documents and logs. */
    private void assertCaughtUpAndEqual(String when) {
        long last = toPrimary.get("/_api/tributary/log/state").json().path("lastTick").asLong();
        Await.until("the follower applied tick " + last + " " + when, Duration.ofMinutes(3),
                () -> status().path("appliedTick").asLong(-1) >= last, () -> status().toString());
        for (String c : MixedWrites.COLLECTIONS) {
            var onPrimary = ReplicaCheck.rows(primaryDb, "_system", c);
            assertThat(ReplicaCheck.differences(onPrimary, ReplicaCheck.rows(followerDb, "_system", c)))
                    .as("collection %s %s", c, when).isEmpty();
        }
        List<LogEntry> primaryLog = ReplicaCheck.log(toPrimary, "_system");
        List<LogEntry> followerLog = ReplicaCheck.log(toFollower, "_system");
        List<Long> matched = ReplicaCheck.assertFollowsInOrder(primaryLog, followerLog);
        System.out.println("KILL9 follow " + when + ": primary log " + primaryLog.size() + " entries, follower log "
                + followerLog.size() + ", all matched in the primary's order (last primary tick matched "
                + (matched.isEmpty() ? 0 : matched.get(matched.size() - 1)) + ")");
    }

    /** Writes in the background; the kill comes at a seeded random moment within them. */
    private CompletableFuture<Long> writes(Random random) {
        MixedWrites w = new MixedWrites(toPrimary, random.nextLong(), 500, nextVersion);
        nextVersion += 10L * WRITES;
        return w.start(4, WRITES);
    }

    @Test
    void killedFollowersAndPrimariesMissNothingAndApplyNothingTwice() throws Exception {
        Random random = seed.random();
        startPrimary();
        startFollower();
        Await.until("the follower in sync", Duration.ofMinutes(1), () -> "in-sync".equals(status().path("state").asText()),
                () -> status().toString());
        long started = System.nanoTime();
        writes(random).get();
        long writeMillis = Math.max(200, (System.nanoTime() - started) / 1_000_000);
        assertCaughtUpAndEqual("after the first writes");

        for (int round = 1; round <= FOLLOWER_KILLS + PRIMARY_KILLS; round++) {
            boolean killPrimary = round > FOLLOWER_KILLS;
            CompletableFuture<Long> running = writes(random);
            // the kill's random moment, not a synchronisation
            Thread.sleep(random.nextLong(0, writeMillis));
            if (killPrimary) {
                primary.kill();
                running.handle((n, e) -> n).get(); // clients of a dead primary fail: what committed is what counts
                startPrimary();
            } else {
                follower.kill();
                running.get();
                startFollower();
            }
            assertCaughtUpAndEqual("after round " + round + " (" + (killPrimary ? "primary" : "follower") + " killed)");
        }
        assertThat(status().path("state").asText()).isEqualTo("in-sync");
    }
}
