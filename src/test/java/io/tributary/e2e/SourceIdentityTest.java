package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The second finding, end to end: a second source under a registered sourceId, or with a key
 * prefix that collides with another source's, is refused by the central node before it sends anything,
 * so none of its rows is acknowledged and deleted; and one node refuses to start with a sourceId twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourceIdentityTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private TestDatabase central;
    private TestDatabase first;
    private TestDatabase second;
    private TributaryApp centralApp;
    private String centralUrl;

    @BeforeAll
    void start() {
        central = TestDatabase.create(Dialect.POSTGRESQL, "identity_central");
        first = TestDatabase.create(Dialect.H2, "identity_a");
        second = TestDatabase.create(Dialect.MARIADB, "identity_b");
        for (TestDatabase db : List.of(first, second)) {
            for (String table : List.of("changes", "dup_changes", "prefix_changes")) {
                db.execute("CREATE TABLE " + table + " (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)");
            }
        }
        int port = TributaryApp.freePort();
        centralUrl = "http://127.0.0.1:" + port;
        centralApp = TributaryApp.builder().property("camel.server.port", String.valueOf(port))
                .properties(central.beanProperties("centralDb")).routes("file:routes/central-import.camel.yaml").start();
    }

    @AfterAll
    void stop() {
        centralApp.close();
        List.of(central, first, second).forEach(TestDatabase::close);
    }

    @Test
    void aSecondSourceUnderARegisteredIdSendsNothingAndDeletesNothing() throws Exception {
        insert(first, "dup_changes", "dup", 10);
        insert(second, "dup_changes", "dup", 10);
        Map<String, String> source = SourceApp.source("dup", "dup_changes", centralUrl);
        source.put("collection", "identity");
        try (SourceApp a = SourceApp.start(first, Files.createTempDirectory("identity-a-"), source)) {
            Await.until("the first source drained", WAIT, () -> first.count("SELECT COUNT(*) FROM dup_changes") == 0);
        }
        try (SourceApp b = SourceApp.start(second, Files.createTempDirectory("identity-b-"), source)) {
            Await.until("the second source's runs fail", WAIT, () -> b.failedRuns() >= 3);
            HealthCheck.Result health = HealthCheckRegistry.get(b.app().context()).getCheck("source-dup").orElseThrow().call();
            assertThat(health.getDetails().get("failing")).isEqualTo(true);
            assertThat(String.valueOf(health.getDetails().get("last.error")))
                    .contains("refused the registration of source 'dup' (HTTP 409)")
                    .contains("already registered by another database or table")
                    .contains("h2://").contains("mariadb://");
        }
        assertThat(second.count("SELECT COUNT(*) FROM dup_changes")).as("nothing acknowledged, nothing deleted").isEqualTo(10);
        List<Map<String, Object>> docs = CentralCollection.documents(central, "identity");
        assertThat(docs).hasSize(10).allSatisfy(d -> assertThat(d.get("v").toString()).startsWith("dup-a-"));
    }

    @Test
    void aSourceWhoseKeyPrefixCollidesIsRefused() throws Exception {
        insert(first, "prefix_changes", "eu", 5);
        insert(second, "prefix_changes", "us", 5);
        Map<String, String> eu = SourceApp.source("shop-eu", "prefix_changes", centralUrl);
        eu.put("collection", "shops");
        eu.put("keyPrefix", "shop-");
        Map<String, String> us = SourceApp.source("shop-us", "prefix_changes", centralUrl);
        us.put("collection", "shops");
        us.put("keyPrefix", "shop-"); // the mistake: both sources' row 1 would be shop-1
        try (SourceApp a = SourceApp.start(first, Files.createTempDirectory("prefix-a-"), eu)) {
            Await.until("the first source drained", WAIT, () -> first.count("SELECT COUNT(*) FROM prefix_changes") == 0);
        }
        try (SourceApp b = SourceApp.start(second, Files.createTempDirectory("prefix-b-"), us)) {
            Await.until("the second source's runs fail", WAIT, () -> b.failedRuns() >= 2);
            HealthCheck.Result health = HealthCheckRegistry.get(b.app().context()).getCheck("source-shop-us").orElseThrow().call();
            assertThat(String.valueOf(health.getDetails().get("last.error"))).contains("HTTP 409")
                    .contains("source 'shop-us'").contains("collides with source 'shop-eu'");
        }
        assertThat(second.count("SELECT COUNT(*) FROM prefix_changes")).isEqualTo(5);
        assertThat(CentralCollection.documents(central, "shops")).hasSize(5)
                .allSatisfy(d -> assertThat(d.get("_source")).isEqualTo("shop-eu"));
    }

    @Test
    void oneNodeRefusesToStartWithASourceIdTwice() throws Exception {
        Path dir = Files.createTempDirectory("identity-twice-");
        Path one = dir.resolve("orders-eu.camel.yaml");
        Path two = dir.resolve("orders-us.camel.yaml");
        Files.writeString(one, sourceFile("orders-eu", "orders"));
        Files.writeString(two, sourceFile("orders-us", "orders"));
        assertThatThrownBy(() -> TributaryApp.builder().property("camel.server.port", String.valueOf(TributaryApp.freePort()))
                .properties(first.beanProperties("sourceDb"))
                .routes(SourceApp.TEMPLATE, "file:" + one, "file:" + two).start().close())
                .hasStackTraceContaining("Two sources use sourceId 'orders'")
                .hasStackTraceContaining("route 'orders-eu' in " + one).hasStackTraceContaining("route 'orders-us' in " + two);
    }

    private String sourceFile(String routeId, String sourceId) {
        return "- templatedRoute:\n    routeTemplateRef: tributary-change-source\n    routeId: " + routeId + "\n    parameters:\n"
                + "      - {name: sourceId, value: " + sourceId + "}\n      - {name: dataSource, value: sourceDb}\n"
                + "      - {name: table, value: changes}\n      - {name: keyColumn, value: id}\n"
                + "      - {name: collection, value: central}\n      - {name: centralUrl, value: \"" + centralUrl + "\"}\n"
                + "      - {name: poll, value: \"timer:" + routeId + "?period=100000&delay=100000\"}\n";
    }

    private static void insert(TestDatabase db, String table, String label, int rows) {
        String which = db.dialect() == Dialect.H2 ? "a" : "b";
        for (int i = 1; i <= rows; i++) {
            db.execute("INSERT INTO " + table + " (v) VALUES ('" + label + "-" + which + "-" + i + "')");
        }
    }
}
