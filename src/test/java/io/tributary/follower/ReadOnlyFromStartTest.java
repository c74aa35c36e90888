package io.tributary.follower;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node configured to follow a primary refuses writes into the followed database from start-up: here its
 * follower route never runs a round (its first is an hour away, and the primary's port is closed), so only the
 * route's declaration can tell the node that the database is followed. The database is given as a property
 * placeholder, as an operator's file may.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadOnlyFromStartTest {

    private TestDatabase db;
    private TributaryApp app;
    private CentralClient client;
    private String primaryUrl;

    @BeforeAll
    void start() throws IOException {
        db = TestDatabase.create(Dialect.H2, "readonly_start");
        primaryUrl = "http://127.0.0.1:" + TributaryApp.freePort();
        Path dir = Files.createDirectories(Path.of("target", "follower-test", "readonly-start").toAbsolutePath());
        Path file = dir.resolve("follow.camel.yaml");
        Files.writeString(file, "- templatedRoute:\n    routeTemplateRef: tributary-follower\n    routeId: follower-later\n"
                + "    parameters:\n      - { name: name, value: later }\n      - { name: primaryUrl, value: \"" + primaryUrl + "\" }\n"
                + "      - { name: database, value: \"{{test.followed-database}}\" }\n"
                + "      - { name: poll, value: \"timer:later?delay=3600000\" }\n");
        int port = TributaryApp.freePort();
        app = TributaryApp.builder().properties(db.beanProperties("centralDb")).property("camel.server.port", "" + port)
                .property("test.followed-database", "sales").property("tributary.sync.peers", primaryUrl)
                .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
                        "file:routes/collection-sync.camel.yaml", "file:routes/change-log.camel.yaml",
                        "file:routes/followers.camel.yaml", "file:routes/follower-template.camel.yaml", "file:" + file)
                .start();
        client = new CentralClient(port);
    }

    @AfterAll
    void stop() {
        app.close();
        db.close();
    }

    @Test
    void writesIntoTheFollowedDatabaseAreRefusedBeforeTheFollowerEverRan() {
        assertThat(client.get("/api/followers").json().path("followers")).as("no round has run").isEmpty();

        var r = client.post("/_db/sales/_api/import?collection=orders&type=array&createCollection=true", "[{\"_key\":\"a\"}]");
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().path("errorNum").asInt()).isEqualTo(1004);
        assertThat(r.json().path("errorMessage").asText()).isEqualTo("database 'sales' is a read-only follower of " + primaryUrl
                + ": write to the primary (or set tributary.follower.writable=true on this node)");
        assertThat(client.send("PUT", "/_db/sales/_api/document/orders/a", "{}").status()).isEqualTo(403);
        assertThat(client.get("/_db/sales/_api/tributary/log/state").json().path("lastTick").asLong()).as("nothing written")
                .isZero();

        // the databases it does not follow take writes
        assertThat(client.post("/_api/import?collection=orders&type=array&createCollection=true", "[{\"_key\":\"a\"}]")
                .status()).isEqualTo(201);
    }
}
