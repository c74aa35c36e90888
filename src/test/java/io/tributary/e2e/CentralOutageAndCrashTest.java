package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failures with the real central node, not a stand-in: a central node that is not running at all,
 * and a crash after the central node committed a batch but before the source recorded it.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CentralOutageAndCrashTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private TestDatabase source;
    private TestDatabase central;

    @BeforeAll
    void createDatabases() {
        source = TestDatabase.create(Dialect.POSTGRESQL, "outage_src");
        central = TestDatabase.create(Dialect.MARIADB, "outage_central");
    }

    @AfterAll
    void dropDatabases() {
        source.close();
        central.close();
    }

    @Test
    void whileTheCentralNodeIsDownNothingIsDeletedAndTheBacklogDrainsOnceAfterwards() throws Exception {
        source.execute("CREATE TABLE outage_changes (id " + source.identityKey() + ", v VARCHAR(20) NOT NULL)");
        insert("outage_changes", 50);
        int centralPort = TributaryApp.freePort();
        Path dir = Files.createTempDirectory("tributary-outage-");
        Map<String, String> params = SourceApp.source("outage", "outage_changes", "http://127.0.0.1:" + centralPort);
        try (SourceApp app = SourceApp.start(source, dir, params)) {
            Await.until("three failed runs without a central node", WAIT, () -> app.failedRuns() >= 3);
            assertThat(source.count("SELECT COUNT(*) FROM outage_changes")).isEqualTo(50);
            assertThat(source.query("SELECT * FROM tributary_status WHERE source_id = 'outage'")).isEmpty();
            HealthCheck.Result down = health(app.app(), "source-outage");
            assertThat(down.getDetails().get("failing")).isEqualTo(true);
            assertThat(String.valueOf(down.getDetails().get("last.error"))).contains("Connection refused");

            try (TributaryApp centralApp = startCentral(centralPort)) {
                Await.until("backlog drained", WAIT, () -> source.count("SELECT COUNT(*) FROM outage_changes") == 0);
                assertArrivedOnce("outage", 50);
                assertThat(source.query("SELECT last_key FROM tributary_status WHERE source_id = 'outage'"))
                        .extracting(r -> r.get("last_key")).containsExactly("50");
                Await.until("source healthy again", WAIT,
                        () -> health(app.app(), "source-outage").getState() == HealthCheck.State.UP);
            }
        }
    }

    @Test
    void aCrashAfterTheCentralCommitReplaysTheBatchWithoutDuplicatesOrLoss() throws Exception {
        source.execute("CREATE TABLE crash_changes (id " + source.identityKey() + ", v VARCHAR(20) NOT NULL)",
                // The first checkpoint fails after the central node has committed the batch, exactly like a
                // process dying between the two commits (a sequence is not rolled back with the transaction).
                "CREATE SEQUENCE crash_once",
                "CREATE FUNCTION crash_once() RETURNS trigger AS $$ BEGIN IF nextval('crash_once') = 1 THEN "
                        + "RAISE EXCEPTION 'simulated crash before the watermark'; END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER crash_before_checkpoint BEFORE DELETE ON crash_changes "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION crash_once()");
        insert("crash_changes", 30);
        int port = TributaryApp.freePort();
        Path dir = Files.createTempDirectory("tributary-crash-");
        Map<String, String> params = SourceApp.source("crash", "crash_changes", "http://127.0.0.1:" + port);
        params.put("maximumRedeliveries", "0");
        params.put("batchSize", "10");
        try (TributaryApp app = TributaryApp.builder()
                .property("camel.server.port", String.valueOf(port))
                .properties(central.beanProperties("centralDb"))
                .properties(source.beanProperties("sourceDb"))
                .routes("file:routes/central-import.camel.yaml", SourceApp.TEMPLATE,
                        "file:" + SourceApp.writeSourceFile(dir, params))
                .start()) {
            Await.until("change table drained", WAIT, () -> source.count("SELECT COUNT(*) FROM crash_changes") == 0);
            assertThat(source.count("SELECT last_value FROM crash_once")).as("the crash did happen").isGreaterThan(1);
            assertArrivedOnce("crash", 30);
            assertThat(source.query("SELECT last_key, rows_transferred FROM tributary_status WHERE source_id = 'crash'"))
                    .singleElement().satisfies(r -> {
                        assertThat(r.get("last_key")).isEqualTo("30");
                        assertThat(((Number) r.get("rows_transferred")).longValue()).isEqualTo(30);
                    });
        }
    }

    private static HealthCheck.Result health(TributaryApp app, String id) {
        return HealthCheckRegistry.get(app.context()).getCheck(id).orElseThrow().call();
    }

    private TributaryApp startCentral(int port) {
        return TributaryApp.builder()
                .property("camel.server.port", String.valueOf(port))
                .properties(central.beanProperties("centralDb"))
                .routes("file:routes/central-import.camel.yaml")
                .start();
    }

    private void insert(String table, int rows) {
        for (int i = 1; i <= rows; i++) {
            source.execute("INSERT INTO " + table + " (v) VALUES ('value-" + i + "')");
        }
    }

    private void assertArrivedOnce(String sourceId, int rows) {
        List<Map<String, Object>> docs = CentralCollection.documents(central, "central").stream()
                .filter(d -> sourceId.equals(d.get("_source"))).toList();
        assertThat(docs).hasSize(rows);
        assertThat(docs).extracting(d -> d.get("_key")).doesNotHaveDuplicates()
                .contains(sourceId + "-1", sourceId + "-" + rows);
        assertThat(docs).allSatisfy(d -> assertThat(d.get("v")).isEqualTo("value-" + d.get("id")));
    }
}
