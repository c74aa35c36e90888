package io.tributary.follower;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CapturedLogs;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Follower parameters a node cannot take at face value: a password with {@code "} and {@code \} (follows),
 * a primaryUrl with credentials (refused, its password in no log line, API answer or health check), a
 * waitSeconds out of range (refused), a second route with a name in use (refused), and a newcomer for a
 * database whose row names another follower's primary (refused, whichever file loads first). Each refused
 * follower is listed by GET /api/followers and has a failing health check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FollowerRefusalsTest {

    /** The primary's password: a quote and a backslash, which once broke the follower's parameters. */
    private static final String PASSWORD = "Pr1m\"ary\\s3cret";
    private static final String[] ROUTES = FollowerContract.ROUTES;

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    private TestDatabase primaryDb;
    private TestDatabase followerDb;
    private TributaryApp primary;
    private TributaryApp follower;
    private String primaryUrl;
    private String otherUrl;
    private int followerPort;
    private Path dir;
    private CentralClient toPrimary;
    private CentralClient toFollower;

    @BeforeAll
    void start() throws IOException {
        primaryDb = TestDatabase.create(Dialect.H2, "follow_refusals_primary");
        followerDb = TestDatabase.create(Dialect.H2, "follow_refusals_follower");
        dir = Files.createDirectories(Path.of("target", "follower-test", "refusals").toAbsolutePath());
        int primaryPort = TributaryApp.freePort();
        primaryUrl = "http://127.0.0.1:" + primaryPort;
        // the same primary under another name: what a newcomer for _system names
        otherUrl = "http://localhost:" + primaryPort;
        primary = TributaryApp.builder().properties(primaryDb.beanProperties("centralDb"))
                .property("camel.server.port", "" + primaryPort).property("tributary.central.password", PASSWORD)
                .routes(ROUTES).start();
        toPrimary = new CentralClient(primaryPort).credentials("root", PASSWORD);
        followerPort = TributaryApp.freePort();
        follower = startFollower(file("primary", "follower-primary", primaryUrl, "_system", "2"),
                file("bad2", "follower-bad2", "http://root:s3cret@127.0.0.1:" + primaryPort, "bad2db", "2"),
                file("slow", "follower-slow", primaryUrl, "slowdb", "61"),
                file("primary", "follower-dup", primaryUrl, "otherdb", "2"));
    }

    private TributaryApp startFollower(Path... files) {
        String[] routes = java.util.Arrays.copyOf(ROUTES, ROUTES.length + files.length);
        for (int i = 0; i < files.length; i++) {
            routes[ROUTES.length + i] = "file:" + files[i];
        }
        TributaryApp app = TributaryApp.builder().properties(followerDb.beanProperties("centralDb"))
                .property("camel.server.port", "" + followerPort).property("tributary.sync.peers", primaryUrl + "," + otherUrl)
                .routes(routes).start();
        toFollower = new CentralClient(followerPort);
        return app;
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

    /** A follower file as an operator writes it; the password in single quotes, as YAML keeps it literally. */
    private Path file(String name, String routeId, String url, String database, String waitSeconds) throws IOException {
        Path file = dir.resolve(routeId + ".camel.yaml");
        Files.writeString(file, "- templatedRoute:\n    routeTemplateRef: tributary-follower\n    routeId: " + routeId
                + "\n    parameters:\n      - { name: name, value: " + name + " }\n      - { name: primaryUrl, value: \"" + url
                + "\" }\n      - { name: primaryPassword, value: '" + PASSWORD + "' }\n      - { name: database, value: \""
                + database + "\" }\n      - { name: waitSeconds, value: \"" + waitSeconds + "\" }\n"
                + "      - { name: retryDelayMs, value: \"300\" }\n");
        return file;
    }

    private JsonNode listed(String routeIdOrName) {
        return StreamSupport.stream(toFollower.get("/api/followers").json().path("followers").spliterator(), false)
                .filter(f -> routeIdOrName.equals(f.path("route").asText()) || routeIdOrName.equals(f.path("name").asText()))
                .findFirst().orElse(null);
    }

    private String health() {
        return toFollower.get("/observe/health?exposureLevel=full&data=true").body();
    }

    @Test
    @Order(1)
    void aPasswordWithAQuoteAndABackslashFollows() {
        Await.until("follower primary in sync", Duration.ofMinutes(1),
                () -> "in-sync".equals(toFollower.get("/api/followers/primary").json().path("state").asText()),
                () -> toFollower.get("/api/followers").body());
        var r = toPrimary.post("/_api/import?collection=live&type=array&createCollection=true", "[{\"_key\":\"q\"}]");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        Await.until("the document at the follower", Duration.ofSeconds(30),
                () -> toFollower.get("/_api/document/live/q").status() == 200);
        assertThat(health()).contains("\"name\":\"follower:primary\",\"status\":\"UP\"");
    }

    @Test
    @Order(2)
    void aUrlWithCredentialsIsRefusedAndItsPasswordShownNowhere() {
        Await.until("a WARN line of follower bad2", Duration.ofSeconds(30),
                () -> lines().stream().anyMatch(l -> l.startsWith("follower bad2 of ")));
        String line = lines().stream().filter(l -> l.startsWith("follower bad2 of ")).findFirst().orElseThrow();
        System.out.println("FOLLOWER refused " + line);
        assertThat(line).startsWith("follower bad2 of http://root:***@127.0.0.1:").contains("failed: follower 'primaryUrl' must be");
        assertThat(lines()).noneMatch(l -> l.contains("s3cret"));

        JsonNode bad2 = toFollower.get("/api/followers/bad2").json();
        assertThat(bad2.path("state").asText()).as(bad2.toString()).isEqualTo("refused");
        assertThat(bad2.path("primary").asText()).startsWith("http://root:***@127.0.0.1:");
        assertThat(toFollower.get("/api/followers").body()).doesNotContain("s3cret");
        String health = health();
        assertThat(health).doesNotContain("s3cret").contains("\"name\":\"follower:bad2\",\"status\":\"UP\"")
                .contains("refused: follower 'primaryUrl' must be");
    }

    @Test
    @Order(3)
    void refusedParametersAreListedWithAFailingHealthCheck() {
        Await.until("follower slow listed", Duration.ofSeconds(30), () -> listed("follower-slow") != null,
                () -> toFollower.get("/api/followers").body());
        JsonNode slow = toFollower.get("/api/followers/slow").json();
        System.out.println("FOLLOWER refused " + slow);
        assertThat(slow.path("state").asText()).isEqualTo("refused");
        assertThat(slow.path("database").asText()).isEqualTo("slowdb");
        assertThat(slow.path("lastError").asText()).isEqualTo("follower 'waitSeconds' must be a whole number from 0 to 60, got '61'");
        assertThat(health()).contains("\"name\":\"follower:slow\",\"status\":\"UP\"")
                .contains("refused: follower 'waitSeconds' must be a whole number from 0 to 60, got '61'");
    }

    @Test
    @Order(4)
    void aSecondRouteWithANameInUseIsRefused() {
        Await.until("route follower-dup listed", Duration.ofSeconds(30), () -> listed("follower-dup") != null,
                () -> toFollower.get("/api/followers").body());
        JsonNode dup = listed("follower-dup");
        System.out.println("FOLLOWER refused " + dup);
        assertThat(dup.path("state").asText()).isEqualTo("refused");
        assertThat(dup.path("lastError").asText()).startsWith("follower 'primary' of route 'follower-dup'")
                .contains("refused: the name is taken by route 'follower-primary'");
        // the name's holder is untouched: its own status, metric and check
        JsonNode holder = toFollower.get("/api/followers/primary").json();
        assertThat(holder.path("database").asText()).isEqualTo("_system");
        assertThat(holder.path("state").asText()).isIn("in-sync", "following");
        assertThat(health()).contains("\"name\":\"follower:primary@follower-dup\",\"status\":\"UP\"");
        assertThat(toFollower.get("/_db/otherdb/_api/collection").json().path("result")).isEmpty();
    }

    @Test
    @Order(5)
    void theFollowerHoldingADatabaseKeepsItWhicheverFileLoadsFirst() {
        follower.close();
        // the newcomer's file loads first, and names the primary under another URL
        follower = null;
        try {
            follower = startFollower(file("second", "follower-second", otherUrl, "_system", "2"),
                    file("primary", "follower-primary", primaryUrl, "_system", "2"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Await.until("follower second refused", Duration.ofSeconds(30), () -> listed("follower-second") != null
                && "refused".equals(listed("follower-second").path("state").asText()), () -> toFollower.get("/api/followers").body());
        JsonNode second = listed("follower-second");
        System.out.println("FOLLOWER refused " + second);
        assertThat(second.path("lastError").asText()).startsWith("follower 'second' (route 'follower-second'")
                .contains("refused: database '_system' follows " + primaryUrl)
                .contains("which route 'follower-primary'");
        Await.until("follower primary in sync", Duration.ofSeconds(30),
                () -> "in-sync".equals(toFollower.get("/api/followers/primary").json().path("state").asText()),
                () -> toFollower.get("/api/followers").body());
        var r = toPrimary.post("/_api/import?collection=live&type=array", "[{\"_key\":\"after\"}]");
        assertThat(r.status()).isEqualTo(201);
        Await.until("the document at the follower", Duration.ofSeconds(30),
                () -> toFollower.get("/_api/document/live/after").status() == 200);
    }

    private List<String> lines() {
        return logs.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
