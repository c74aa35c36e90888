package io.tributary.offline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore as HTTP jobs (docs/offline.md): a PostgreSQL table backed up by a node whose central
 * store is on H2, restored into another table and into a collection; what the node's settings refuse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineJobsTest {

    private static final String PASSWORD = "pw-offline";

    @TempDir
    static Path backups;

    private TestDatabase central;
    private TestDatabase shop;
    private TributaryApp app;
    private int port;

    @BeforeAll
    void start() {
        central = TestDatabase.create(Dialect.H2, "offline_central");
        shop = TestDatabase.create(Dialect.POSTGRESQL, "offline_shop");
        shop.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, amount DECIMAL(12,2))");
        shop.execute("CREATE TABLE orders_copy (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, amount DECIMAL(12,2))");
        shop.execute("CREATE TABLE secrets (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, amount DECIMAL(12,2))");
        shop.execute("INSERT INTO orders SELECT g, TIMESTAMP '2026-11-29 00:00:00' + g * INTERVAL '1 hour', g * 1.25"
                + " FROM generate_series(1, 100) g");
        port = TributaryApp.freePort();
        app = TributaryApp.builder().properties(central.beanProperties("centralDb")).properties(shop.beanProperties("shopDb"))
                .property("camel.server.port", "" + port)
                .property("tributary.central.username", "root").property("tributary.central.password", PASSWORD)
                .property("tributary.backup.directory", backups.toString())
                .property("tributary.sync.sql-sources.shopDb.tables", "orders")
                .property("tributary.restore.sql-targets.shopDb.tables", "orders_copy")
                .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml", "file:routes/offline.camel.yaml")
                .start();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        shop.close();
        central.close();
    }

    private CentralClient client() {
        return new CentralClient(port).credentials("root", PASSWORD);
    }

    @Test
    void aBackupAndItsRestoresRunAsJobs() {
        var backup = client().post("/api/backups?wait=true", "{\"source\":{\"dataSource\":\"shopDb\",\"table\":\"orders\","
                + "\"keyColumn\":\"id\"},\"name\":\"orders-http\",\"filter\":{\"where\":\"amount > 10\"},"
                + "\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}}");
        assertThat(backup.status()).as(backup.body()).isEqualTo(200);
        JsonNode job = backup.json();
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("kind").asText()).isEqualTo("backup");
        assertThat(job.path("result").path("totals").path("rows").asLong()).isEqualTo(92);
        assertThat(job.path("result").path("partitions").findValuesAsText("name"))
                .containsExactly("2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03");

        var restore = client().post("/api/restores?wait=true", "{\"name\":\"orders-http\",\"target\":{\"dataSource\":"
                + "\"shopDb\",\"table\":\"orders_copy\"},\"partition\":\"2026-11-*\"}");
        assertThat(restore.json().path("status").asText()).as(restore.body()).isEqualTo("succeeded");
        assertThat(shop.query("SELECT COUNT(*) AS n FROM orders_copy").get(0).get("n").toString()).isEqualTo("39"); // ids 9..47

        var intoCollection = client().post("/api/restores?wait=true", "{\"name\":\"orders-http\",\"target\":{\"collection\":"
                + "\"orders\"}}");
        assertThat(intoCollection.json().path("status").asText()).as(intoCollection.body()).isEqualTo("succeeded");
        assertThat(client().get("/_api/collection/orders/count").json().path("count").asLong()).isEqualTo(92);

        String backupId = job.path("id").asText();
        assertThat(client().get("/api/backups").json().path("jobs").findValuesAsText("id")).contains(backupId);
        assertThat(client().get("/api/restores").json().path("jobs").findValuesAsText("id")).doesNotContain(backupId);
        assertThat(client().get("/api/jobs/" + backupId).json().path("name").asText()).isEqualTo("orders-http");
    }

    @Test
    void whatTheNodeDoesNotAllowIsRefusedBeforeAJobStarts() {
        var unlisted = client().post("/api/backups", "{\"source\":{\"dataSource\":\"shopDb\",\"table\":\"secrets\","
                + "\"keyColumn\":\"id\"}}");
        assertThat(unlisted.status()).isEqualTo(403);
        assertThat(unlisted.json().path("errorMessage").asText())
                .contains("table 'secrets' of DataSource 'shopDb' is not a backup source");
        var target = client().post("/api/restores", "{\"name\":\"whatever\",\"target\":{\"dataSource\":\"shopDb\",\"table\":\"orders\"}}");
        assertThat(target.status()).isEqualTo(404); // no such backup: checked first
        var missing = client().post("/api/restores", "{\"name\":\"no-such-backup\",\"target\":{\"collection\":\"x\"}}");
        assertThat(missing.json().path("errorMessage").asText()).contains("backup 'no-such-backup' not found in");
        var escape = client().post("/api/restores", "{\"name\":\"../etc\",\"target\":{\"collection\":\"x\"}}");
        assertThat(escape.status()).isEqualTo(400);
        var typo = client().post("/api/backups", "{\"source\":{\"dataSource\":\"shopDb\",\"table\":\"orders\",\"keyColumn\":"
                + "\"id\"},\"partitonBy\":{}}");
        assertThat(typo.json().path("errorMessage").asText()).contains("unknown field 'partitonBy'");
        // a misspelled query parameter is named before anything else (it was ignored: a backup started)
        var wiat = client().post("/api/backups?wiat=true", "{\"source\":{\"dataSource\":\"shopDb\",\"table\":\"orders\",\"keyColumn\":\"id\"}}");
        assertThat(wiat.status()).as(wiat.body()).isEqualTo(400);
        assertThat(wiat.json().path("errorMessage").asText()).isEqualTo("unknown query parameter 'wiat'; known: wait");
        var restore = client().post("/api/restores?wiat=true", "{\"name\":\"no-such-backup\",\"target\":{\"collection\":\"x\"}}");
        assertThat(restore.json().path("errorMessage").asText()).isEqualTo("unknown query parameter 'wiat'; known: wait");
        var list = client().get("/api/restores?name=x");
        assertThat(list.json().path("errorMessage").asText()).isEqualTo("unknown query parameter 'name'; known: none");
        var anonymous = new CentralClient(port).post("/api/backups", "{}");
        assertThat(anonymous.status()).isEqualTo(401);
    }
}
