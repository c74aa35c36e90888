package io.tributary.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routes/examples/nightly-offline-copy.camel.yaml as shipped, on two nodes: site A (orders on PostgreSQL)
 * backs up today's rows, sends them over SFTP to site B's backup directory and has site B restore them into
 * its orders table on MariaDB. Only the schedule is changed, to run at once.
 */
class OfflineCopyExampleTest {

    @TempDir
    Path dir;

    @Test
    void todaysRowsArriveAtSiteBAndOtherDaysThereStay() throws Exception {
        Path sftpRoot = Files.createDirectories(dir.resolve("sftp"));
        Path siteBBackups = Files.createDirectories(sftpRoot.resolve("incoming"));
        try (TestSftpServer sftp = new TestSftpServer(sftpRoot, Files.createDirectories(dir.resolve("work")));
             TestDatabase centralA = TestDatabase.create(Dialect.H2, "example_a");
             TestDatabase centralB = TestDatabase.create(Dialect.H2, "example_b");
             TestDatabase ordersA = TestDatabase.create(Dialect.POSTGRESQL, "example_orders_a");
             TestDatabase ordersB = TestDatabase.create(Dialect.MARIADB, "example_orders_b")) {
            ordersA.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, amount DECIMAL(12,2))");
            ordersA.execute("INSERT INTO orders SELECT g, CURRENT_DATE + (g % 20) * INTERVAL '1 hour', g * 1.5"
                    + " FROM generate_series(1, 200) g");
            ordersA.execute("INSERT INTO orders SELECT g, CURRENT_DATE - INTERVAL '1 day', g FROM generate_series(201, 250) g");
            ordersB.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, ts DATETIME NOT NULL, amount DECIMAL(12,2))");
            ordersB.execute("INSERT INTO orders VALUES (9001, CURRENT_DATE - INTERVAL 3 DAY, 1.00)");

            int portB = TributaryApp.freePort();
            try (TributaryApp siteB = TributaryApp.builder().properties(centralB.beanProperties("centralDb"))
                    .properties(ordersB.beanProperties("ordersDb"))
                    .property("camel.server.port", "" + portB)
                    .property("tributary.central.password", "pw-b")
                    .property("tributary.backup.directory", siteBBackups.toString())
                    .property("tributary.restore.sql-targets.ordersDb.tables", "orders")
                    .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
                            "file:routes/offline.camel.yaml")
                    .start();
                 TributaryApp siteA = TributaryApp.builder().properties(centralA.beanProperties("centralDb"))
                         .properties(ordersA.beanProperties("ordersDb"))
                         .property("camel.server.port", "" + TributaryApp.freePort())
                         .property("tributary.backup.directory", Files.createDirectories(dir.resolve("a")).toString())
                         .property("tributary.sync.sql-sources.ordersDb.tables", "orders")
                         .properties(Map.of(
                                 "tributary.offline.orders-cron", "0/2 * * * * ?",
                                 "tributary.offline.site-b-sftp", "sftp://" + TestSftpServer.USER + "@127.0.0.1:"
                                         + sftp.port() + "/incoming",
                                 "tributary.offline.site-b-sftp-password", TestSftpServer.PASSWORD,
                                 "tributary.offline.site-b-known-hosts", sftp.knownHosts(dir).toString(),
                                 "tributary.offline.site-b-url", "http://127.0.0.1:" + portB,
                                 "tributary.offline.site-b-password", "pw-b"))
                         .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
                                 "file:routes/offline.camel.yaml", "file:routes/backup-transfer-template.camel.yaml",
                                 "file:routes/examples/nightly-offline-copy.camel.yaml")
                         .start()) {
                Await.until("today's 200 orders restored at site B", Duration.ofMinutes(2),
                        () -> count(ordersB, "ts >= CURRENT_DATE") == 200, () -> "site B holds " + count(ordersB, "1 = 1"));
                assertThat(siteA.context().getRouteController().getRouteStatus("nightly-orders-offline-copy").isStarted())
                        .isTrue();
            }
            assertThat(ids(ordersB, "ts >= CURRENT_DATE")).isEqualTo(ids(ordersA, "ts >= CURRENT_DATE"));
            assertThat(count(ordersB, "id = 9001")).as("another day at site B stays").isEqualTo(1);
            assertThat(count(ordersB, "id > 200 AND id <= 250")).as("yesterday's rows are not today's").isZero();
            try (var backups = Files.list(siteBBackups)) {
                assertThat(backups.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("orders-"));
            }
        }
    }

    private static long count(TestDatabase db, String where) {
        return ((Number) db.query("SELECT COUNT(*) AS n FROM orders WHERE " + where).get(0).values().iterator().next())
                .longValue();
    }

    private static List<String> ids(TestDatabase db, String where) {
        return db.query("SELECT id FROM orders WHERE " + where + " ORDER BY id").stream()
                .map(r -> r.values().iterator().next().toString()).toList();
    }
}
