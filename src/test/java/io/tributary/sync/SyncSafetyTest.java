package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sync safety by default (issue 9): what a job may read (listed SQL tables, configured peers, never a
 * system catalog), what its errors may say (nothing the remote sent), what it may delete (not more than
 * the configured fraction, nothing from an empty source, unless the job says so), dry-run counts equal to
 * the real run's, and a document far larger than Jackson's default string limit synced both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncSafetyTest {

    static final String SOURCE_PASSWORD = "src-Pa55-safety";
    static final int MARIADB_PORT = 3306;

    TestDatabase shop;
    TestDatabase h2;
    SyncNode source;
    SyncNode target;
    /** Counts connections: an unlisted URL must never be connected to. */
    ServerSocket trap;
    final AtomicInteger trapped = new AtomicInteger();
    final List<Socket> held = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        trap = new ServerSocket(0);
        Thread accept = new Thread(() -> {
            while (!trap.isClosed()) {
                try {
                    held.add(trap.accept());
                    trapped.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();

        shop = TestDatabase.create(Dialect.POSTGRESQL, "safeshop");
        shop.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50))",
                "CREATE TABLE secrets (id INT PRIMARY KEY, secret VARCHAR(50))",
                "INSERT INTO items VALUES (1, 'one'), (2, 'two')", "INSERT INTO secrets VALUES (1, 'hidden')");
        h2 = TestDatabase.create(Dialect.H2, "safeh2");
        source = new SyncNode(Dialect.POSTGRESQL, "safesrc", SOURCE_PASSWORD, Map.of());

        Map<String, String> config = new HashMap<>();
        config.putAll(shop.beanProperties("shopDb"));
        config.putAll(shop.beanProperties("otherDb")); // a bean with no list: no sync source
        config.putAll(h2.beanProperties("h2Db"));
        // listed system catalogs are refused all the same
        config.put("tributary.sync.sql-sources.shopDb.tables", "items, pg_catalog.pg_authid, pg_authid");
        config.put("tributary.sync.sql-sources.h2Db.tables", "INFORMATION_SCHEMA.USERS");
        // a bean whose current database is a system catalog: its unqualified names are system tables
        config.put("camel.beans.mysqlDb", "#class:com.zaxxer.hikari.HikariDataSource");
        config.put("camel.beans.mysqlDb.jdbcUrl", "jdbc:mariadb://127.0.0.1:" + MARIADB_PORT + "/mysql");
        config.put("camel.beans.mysqlDb.username", "root");
        config.put("camel.beans.mysqlDb.maximumPoolSize", "1");
        config.put("tributary.sync.sql-sources.mysqlDb.tables", "user");
        // a peer listed by mistake: a database port, to show what its errors say
        config.put(SyncNode.PEERS, source.url() + ",http://127.0.0.1:" + MARIADB_PORT);
        target = new SyncNode(Dialect.H2, "safetgt", "tgt-Pa55", config);
    }

    @AfterAll
    void stop() throws IOException {
        trap.close();
        for (Socket s : held) {
            s.close();
        }
        SyncNode.closeAll(source, target);
        for (TestDatabase db : new TestDatabase[] {shop, h2}) {
            if (db != null) {
                db.close();
            }
        }
    }

    private static String sqlSpec(String dataSource, String table, String collection) {
        return "{\"source\":{\"dataSource\":\"" + dataSource + "\",\"table\":\"" + table + "\",\"keyColumn\":\"id\"},"
                + "\"target\":{\"collection\":\"" + collection + "\"}}";
    }

    private static void assertForbidden(CentralClient.Response r, String... mentions) {
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        JsonNode body = r.json();
        assertThat(body.path("error").asBoolean()).isTrue();
        assertThat(body.path("errorNum").asInt()).isEqualTo(11);
        assertThat(body.path("code").asInt()).isEqualTo(403);
        assertThat(body.path("errorMessage").asText()).contains(mentions);
    }

    // ---- what a job may read ---------------------------------------------------------------------

    @Test
    void onlyListedTablesOfListedDataSourcesAreSources() {
        JsonNode ok = target.syncAndWait(sqlSpec("shopDb", "items", "items"));
        assertThat(ok.path("status").asText()).as(ok.toString()).isEqualTo("succeeded");
        assertThat(target.count("items")).isEqualTo(2);

        assertForbidden(target.client().post("/api/sync/jobs", sqlSpec("shopDb", "secrets", "leak1")),
                "'secrets'", "tributary.sync.sql-sources.shopDb.tables");
        // names are compared as listed
        assertForbidden(target.client().post("/api/sync/jobs", sqlSpec("shopDb", "public.items", "leak2")),
                "tributary.sync.sql-sources.shopDb.tables");
        assertForbidden(target.client().post("/api/sync/jobs", sqlSpec("otherDb", "items", "leak3")),
                "DataSource 'otherDb' is not a sync source", "tributary.sync.sql-sources.otherDb.tables");
        // the central database is a DataSource bean like any other
        assertForbidden(target.client().post("/api/sync/jobs", sqlSpec("centralDb", "tributary_jobs", "leak4")),
                "tributary.sync.sql-sources.centralDb.tables");
        for (String leak : new String[] {"leak1", "leak2", "leak3", "leak4"}) {
            assertThat(target.client().get("/_api/collection/" + leak + "/count").status()).isEqualTo(404);
        }
    }

    /**
     * An online copy's SQL selection is checked when the job is submitted, as a backup's is: a 400 and no job,
     * where it used to be accepted and fail when it ran.
     */
    @Test
    void anOnlineCopysSqlSelectionIsRefusedAtSubmission() {
        String spec = sqlSpec("shopDb", "items", "selected");
        assertRefused(target.client().post("/api/sync/jobs", spec.substring(0, spec.length() - 1)
                + ",\"filter\":{\"where\":\"id <= 10; DROP TABLE secrets\"}}"),
                "'filter.where' refused: ';' is not allowed: one condition, not statements");
        assertRefused(target.client().post("/api/sync/jobs", spec.substring(0, spec.length() - 1)
                + ",\"columns\":[\"nosuch\"]}"), "'columns': table items has no column 'nosuch' (it has [id, name])");
        assertThat(target.client().get("/api/sync/jobs").body()).doesNotContain("\"selected\"");
    }

    private static void assertRefused(CentralClient.Response r, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("errorMessage").asText()).isEqualTo(message);
    }

    @Test
    void systemCatalogsAreNeverSourcesEvenWhenListed() {
        assertForbidden(target.client().post("/api/sync/jobs", sqlSpec("shopDb", "pg_catalog.pg_authid", "cat1")),
                "system catalog");
        // unqualified, PostgreSQL finds it in pg_catalog first
        assertForbidden(target.client().post("/api/sync/jobs", sqlSpec("shopDb", "pg_authid", "cat2")), "system catalog");
        assertForbidden(target.client().post("/api/sync/jobs", sqlSpec("h2Db", "INFORMATION_SCHEMA.USERS", "cat3")),
                "system catalog");
        assertThat(target.client().get("/api/sync/jobs").body()).doesNotContain("pg_authid", "INFORMATION_SCHEMA");
        // known only once the job opens the table: the job fails, nothing is read or created
        JsonNode job = target.syncAndWait("{\"source\":{\"dataSource\":\"mysqlDb\",\"table\":\"user\","
                + "\"keyColumn\":\"User\"},\"target\":{\"collection\":\"cat4\"}}");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
        assertThat(job.path("error").asText()).contains("'mysql.user' is in a system catalog");
        assertThat(target.client().get("/_api/collection/cat4/count").status()).isEqualTo(404);
    }

    @Test
    void unlistedPeerUrlsAreRefusedBeforeAnyConnection() {
        String[] urls = {"http://127.0.0.1:" + trap.getLocalPort(), "http://localhost:" + source.port,
                source.url() + "/other/path", "https://127.0.0.1:" + source.port};
        for (String url : urls) {
            var r = target.client().post("/api/sync/jobs", "{\"source\":{\"url\":\"" + url + "\",\"collection\":\"x\","
                    + "\"username\":\"root\",\"password\":\"" + SOURCE_PASSWORD + "\"},\"target\":{\"collection\":\"peer\"}}");
            assertForbidden(r, "is not a configured peer", "tributary.sync.peers");
            assertThat(r.body()).doesNotContain(SOURCE_PASSWORD);
        }
        // refused synchronously, no job: nothing could connect later either
        assertThat(trapped.get()).isZero();
        assertThat(target.client().get("/api/sync/jobs").body()).doesNotContain("\"peer\"");
    }

    @Test
    void anUnlistedDatabasePortIsRefusedAndAListedOneEchoesNothingOfItsAnswer() {
        // a port-scan style URL that is not a peer: refused without connecting
        var refused = target.client().post("/api/sync/jobs", "{\"source\":{\"url\":\"http://127.0.0.2:" + MARIADB_PORT
                + "\",\"collection\":\"x\"},\"target\":{\"collection\":\"scan\"}}");
        assertForbidden(refused, "is not a configured peer");
        // listed by mistake: the job fails with a fixed description, no byte of the server's greeting
        JsonNode job = target.syncAndWait("{\"source\":{\"url\":\"http://127.0.0.1:" + MARIADB_PORT + "\","
                + "\"collection\":\"x\"},\"target\":{\"collection\":\"scan\"},\"dryRun\":true}");
        assertThat(job.path("status").asText()).isEqualTo("failed");
        String error = job.path("error").asText();
        assertThat(error).isEqualTo("Source http://127.0.0.1:" + MARIADB_PORT
                + " did not answer as a Tributary node over HTTP");
        assertThat(job.toString().toLowerCase()).doesNotContain("mariadb", "mysql", "5.5.5", "native_password");
    }

    // ---- what a job may delete -----------------------------------------------------------------------

    private String remote(String sourceCollection, String targetCollection, String options) {
        return target.remoteSpec(source, sourceCollection, targetCollection, options);
    }

    @Test
    void aSyncDeletingMoreThanTheFractionIsRefusedUnlessAllowed() {
        source.load("mass", SyncNode.docs(0, 40, "m"));
        for (String mode : new String[] {"full", "incremental"}) {
            String copy = "mass_" + mode;
            String options = mode.equals("incremental") ? "\"incremental\":true" : "";
            target.load(copy, SyncNode.docs(0, 100, "m"));
            var before = target.content(copy);

            JsonNode dry = target.syncAndWait(remote("mass", copy, options + (options.isEmpty() ? "" : ",") + "\"dryRun\":true"));
            assertThat(dry.path("status").asText()).as(dry.toString()).isEqualTo("succeeded");
            assertThat(dry.at("/result/rowsDeleted").asLong()).isEqualTo(60);
            assertThat(dry.at("/result/massDelete").asBoolean()).isTrue();

            JsonNode refused = target.syncAndWait(remote("mass", copy, options));
            assertThat(refused.path("status").asText()).as(mode + refused).isEqualTo("failed");
            assertThat(refused.path("error").asText()).contains("would delete 60 of the target's 100 documents",
                    "max-delete-fraction=0.5", "\"allowMassDelete\": true");
            assertThat(target.content(copy)).as(mode).isEqualTo(before);

            JsonNode allowed = target.syncAndWait(remote("mass", copy, options + (options.isEmpty() ? "" : ",")
                    + "\"allowMassDelete\":true"));
            assertThat(allowed.path("status").asText()).as(allowed.toString()).isEqualTo("succeeded");
            assertThat(allowed.at("/result/rowsDeleted").asLong()).isEqualTo(60);
            assertThat(target.content(copy)).isEqualTo(source.content("mass"));
        }
        // within the fraction: no flag needed
        target.load("mass_few", SyncNode.docs(0, 50, "m"));
        JsonNode few = target.syncAndWait(remote("mass", "mass_few", ""));
        assertThat(few.path("status").asText()).as(few.toString()).isEqualTo("succeeded");
        assertThat(few.at("/result/rowsDeleted").asLong()).isEqualTo(10);
    }

    @Test
    void aSyncFromAnEmptySourceIsRefusedUnlessAllowed() {
        source.load("drained", List.of("{\"_key\":\"gone\"}"));
        source.execute("DELETE FROM " + source.table("drained"));
        for (String options : new String[] {"", "\"incremental\":true"}) {
            target.load("full_target", SyncNode.docs(0, 10, "f"));
            JsonNode refused = target.syncAndWait(remote("drained", "full_target", options));
            assertThat(refused.path("status").asText()).as(refused.toString()).isEqualTo("failed");
            assertThat(refused.path("error").asText()).contains("would delete 10 of the target's 10", "the source is empty");
            assertThat(target.count("full_target")).isEqualTo(10);
        }
        JsonNode allowed = target.syncAndWait(remote("drained", "full_target", "\"allowMassDelete\":true"));
        assertThat(allowed.path("status").asText()).as(allowed.toString()).isEqualTo("succeeded");
        assertThat(target.count("full_target")).isZero();
    }

    // ---- dry run = real run --------------------------------------------------------------------------

    private void loadVersioned(SyncNode node, String collection, List<String> docs) {
        var r = node.client().post("/_api/import?collection=" + collection + "&type=documents&createCollection=true"
                + "&onDuplicate=replace&versionAttribute=_version", String.join("\n", docs));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static String versioned(int i, int version, String variant) {
        return "{\"_key\":\"v" + (100 + i) + "\",\"_version\":" + version + ",\"variant\":\"" + variant + "\"}";
    }

    @Test
    void aDryRunCountsWhatTheRealRunDoes() {
        List<String> src = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            src.add(versioned(i, 5, "source"));
        }
        loadVersioned(source, "versioned", src);
        for (String options : new String[] {"\"incremental\":true", ""}) {
            String copy = options.isEmpty() ? "versioned_full" : "versioned_inc";
            List<String> tgt = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                // newer at the target (kept), older (transferred), equal (nothing to do)
                tgt.add(versioned(i, i < 5 ? 9 : i < 10 ? 1 : 5, i < 10 ? "target" : "source"));
            }
            for (int i = 90; i < 93; i++) {
                tgt.add(versioned(i, 1, "extra")); // deleted
            }
            loadVersioned(target, copy, tgt);

            JsonNode dry = target.syncAndWait(remote("versioned", copy, options + (options.isEmpty() ? "" : ",") + "\"dryRun\":true"));
            JsonNode real = target.syncAndWait(remote("versioned", copy, options));
            assertThat(real.path("status").asText()).as(real.toString()).isEqualTo("succeeded");
            for (String count : new String[] {"rowsTransferred", "rowsDeleted", "rowsKeptNewer", "rowsUnchanged"}) {
                assertThat(dry.at("/result/" + count).asLong()).as(count + " " + options + "\n" + dry + "\n" + real)
                        .isEqualTo(real.at("/result/" + count).asLong());
            }
            assertThat(real.at("/result/rowsKeptNewer").asLong()).isEqualTo(5);
            assertThat(real.at("/result/rowsDeleted").asLong()).isEqualTo(3);
            // 5 older and 5 new documents; a full copy also finds the 10 equal ones unchanged
            assertThat(real.at("/result/rowsTransferred").asLong()).isEqualTo(10);
            assertThat(real.at("/result/rowsUnchanged").asLong()).isEqualTo(options.isEmpty() ? 10 : 0);
        }
    }

    @Test
    void aFullSyncReportsAnEqualVersionWithOtherContentAsAConflictAndKeepsTheStoredDocument() {
        loadVersioned(source, "tied", List.of(versioned(0, 5, "source"), versioned(1, 5, "same")));
        loadVersioned(target, "tied_copy", List.of(versioned(0, 5, "target"), versioned(1, 5, "same")));

        JsonNode dry = target.syncAndWait(remote("tied", "tied_copy", "\"dryRun\":true"));
        assertThat(dry.at("/result/conflicts").asLong()).as("a dry run sees it too: " + dry).isEqualTo(1);
        JsonNode job = target.syncAndWait(remote("tied", "tied_copy", ""));

        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/conflicts").asLong()).as(job.toString()).isEqualTo(1);
        assertThat(job.at("/result/conflictKeys/0").asText()).isEqualTo("v100");
        assertThat(job.at("/result/rowsUnchanged").asLong()).isEqualTo(1);
        assertThat(job.at("/result/rowsTransferred").asLong()).isZero();
        var stored = target.client().get("/_api/document/tied_copy/v100");
        assertThat(stored.json().path("variant").asText()).as("the stored document stays").isEqualTo("target");
    }

    // ---- a document the store accepted can be synced from ---------------------------------------------

    @Test
    void aCollectionWithAStringOverTwentyMillionCharactersCanBeSyncedFrom() {
        int length = 21_000_000; // over Jackson's default limit of 20,000,000
        source.load("big", SyncNode.docs(0, 60, "b"));
        // written straight into the table: the import endpoint may refuse documents of this size
        source.execute("UPDATE " + source.table("big") + " SET \"doc\" = jsonb_build_object('_key', 'k00030', 's',"
                + " repeat('x', " + length + ")) WHERE \"_key\" = 'k00030'");
        for (String options : new String[] {"", "\"incremental\":true"}) {
            String copy = options.isEmpty() ? "big_full" : "big_inc";
            JsonNode job = target.syncAndWait(remote("big", copy, options));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.at("/result/rowsTransferred").asLong()).isEqualTo(60);
            assertThat(target.content(copy)).isEqualTo(source.content("big"));
            assertThat(target.db.count("SELECT COUNT(*) FROM " + target.table(copy) + " WHERE \"_key\" = 'k00030'"
                    + " AND LENGTH(\"doc\") > " + length)).isEqualTo(1);
        }
        // and incrementally again once the big document changed
        source.execute("UPDATE " + source.table("big") + " SET \"doc\" = jsonb_build_object('_key', 'k00030', 's',"
                + " repeat('y', " + length + ")) WHERE \"_key\" = 'k00030'");
        JsonNode again = target.syncAndWait(remote("big", "big_inc", "\"incremental\":true"));
        assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("succeeded");
        assertThat(again.at("/result/rowsTransferred").asLong()).isEqualTo(1);
        assertThat(target.content("big_inc")).isEqualTo(source.content("big"));
    }
}
