package io.tributary.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backlog count and the lag of {@code GET /api/sources} per capture mode, against one database product per
 * subclass: rows changed 100 s ago wait while the central node is down (the backlog counts them; where the mode
 * knows when a change was made, the lag is that change's age), then are sent (backlog 0, lag near 0).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SourceBacklogContract {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int AGE = 100;

    private TestDatabase db;
    @TempDir
    Path dir;

    abstract Dialect dialect();

    @BeforeAll
    void createDatabase() {
        db = TestDatabase.create(dialect(), "backlog");
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @Test
    void backlogAndLagPerModeWhileTheCentralNodeIsDownAndAfter() {
        String past = dialect().localTimestamp() + " - INTERVAL '" + AGE + "' SECOND";
        db.execute("CREATE TABLE bl_changes (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20), changed_at " + dialect().timestampType() + ")",
                "CREATE TABLE bl_plain (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE bl_log (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE bl_items (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20), updated_at " + dialect().timestampType() + ")",
                "CREATE TABLE bl_late (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20))");
        for (int i = 1; i <= 3; i++) {
            db.execute("INSERT INTO bl_changes (id, v, changed_at) VALUES (" + i + ", 'c', " + past + ")",
                    "INSERT INTO bl_plain (id, v) VALUES (" + i + ", 'p')",
                    "INSERT INTO bl_log (id, v) VALUES (" + i + ", 'l')",
                    "INSERT INTO bl_items (id, v, updated_at) VALUES (" + i + ", 'i', " + past + ")");
        }
        try (TestCentral central = new TestCentral()) {
            central.down();
            List<Map<String, String>> sources = List.of(
                    source("changes", "bl_changes", central, Map.of("timestampColumn", "changed_at")),
                    source("plain", "bl_plain", central, Map.of()),
                    source("log", "bl_log", central, Map.of("mode", "incrementing")),
                    source("items", "bl_items", central, Map.of("mode", "timestamp", "timestampColumn", "updated_at")),
                    source("late", "bl_late", central, Map.of()));
            try (TributaryApp app = SourceStatusTest.start(db, dir, sources)) {
                CentralClient client = new CentralClient(SourceStatusTest.port(app));
                for (String id : List.of("changes", "plain", "log", "items")) {
                    Await.until(id + ": 3 rows counted waiting", WAIT, () -> SourceStatusTest.status(client, id).path("backlog").path("rows").asLong() == 3,
                            () -> SourceStatusTest.status(client, id).toString());
                }
                for (String id : List.of("changes", "items")) {
                    JsonNode s = SourceStatusTest.status(client, id);
                    assertThat(s.path("lagSource").asText()).as(s.toString()).isEqualTo("oldestChange");
                    assertThat(s.path("lagSeconds").asDouble()).as(s.toString()).isBetween(AGE - 2.0, AGE + WAIT.toSeconds() + 30.0);
                }
                for (String id : List.of("plain", "log")) {
                    JsonNode s = SourceStatusTest.status(client, id);
                    assertThat(s.path("lagSource").isNull()).as("never caught up, and the mode cannot know: " + s).isTrue();
                    assertThat(s.path("lagSeconds").isNull()).as(s.toString()).isTrue();
                }

                // empty at start-up, then rows arrive while every run fails: the lag runs from the last count
                // that found nothing, and keeps growing after counts find rows
                Await.until("late: an empty table counted", WAIT,
                        () -> "lastEmptyRun".equals(SourceStatusTest.status(client, "late").path("lagSource").asText()),
                        () -> SourceStatusTest.status(client, "late").toString());
                db.execute("INSERT INTO bl_late (id, v) VALUES (1, 'x')", "INSERT INTO bl_late (id, v) VALUES (2, 'x')");
                Await.until("late: 2 rows counted waiting", WAIT,
                        () -> SourceStatusTest.status(client, "late").path("backlog").path("rows").asLong() == 2);
                JsonNode late = SourceStatusTest.status(client, "late");
                assertThat(late.path("state").asText()).as(late.toString()).isEqualTo("failing");
                assertThat(late.path("lagSource").asText()).as(late.toString()).isEqualTo("lastEmptyRun");
                double lateLag = late.path("lagSeconds").asDouble(-1);
                assertThat(lateLag).as(late.toString()).isNotNegative();
                Await.until("late: lag growing while it fails", WAIT,
                        () -> SourceStatusTest.status(client, "late").path("lagSeconds").asDouble(-1) > lateLag + 1,
                        () -> SourceStatusTest.status(client, "late").toString());
                assertThat(SourceStatusTest.status(client, "late").path("backlog").path("rows").asLong()).isEqualTo(2);

                central.up();
                Await.until("14 rows at the central node", WAIT, () -> central.documentCount() == 14);
                for (String id : List.of("changes", "plain", "log", "items")) {
                    Await.until(id + ": backlog 0 and lag measured since the last empty run", WAIT, () -> {
                        JsonNode s = SourceStatusTest.status(client, id);
                        return s.path("backlog").path("rows").asLong(-1) == 0 && "lastEmptyRun".equals(s.path("lagSource").asText());
                    }, () -> SourceStatusTest.status(client, id).toString());
                    assertThat(SourceStatusTest.status(client, id).path("lagSeconds").asDouble()).as(id).isLessThan(30.0);
                }
            }
        }
    }

    private Map<String, String> source(String id, String table, TestCentral central, Map<String, String> extra) {
        Map<String, String> s = SourceApp.source(id, table, central.url());
        s.put("backlogIntervalMs", "1000");
        // the rows' times are written in this JVM's zone (the test's own connection)
        s.put("timestampZone", ZoneId.systemDefault().getId());
        s.put("poll", "timer:tributary-" + id + "?period=500&delay=100");
        s.putAll(extra);
        return s;
    }
}
