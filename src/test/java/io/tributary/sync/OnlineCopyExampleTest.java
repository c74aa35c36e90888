package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * routes/examples/nightly-online-copy.camel.yaml as shipped: today's rows of a PostgreSQL table copied
 * into a collection day by day. Only the schedule is changed, to run at once.
 */
class OnlineCopyExampleTest {

    @Test
    void todaysRowsArriveAndOtherDaysDocumentsStay() {
        try (TestDatabase central = TestDatabase.create(Dialect.H2, "online_example_central");
             TestDatabase orders = TestDatabase.create(Dialect.POSTGRESQL, "online_example_orders")) {
            orders.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, ts TIMESTAMP NOT NULL, amount DECIMAL(12,2))");
            orders.execute("INSERT INTO orders SELECT g, CURRENT_DATE + (g % 20) * INTERVAL '1 hour', g * 1.5"
                    + " FROM generate_series(1, 120) g");
            orders.execute("INSERT INTO orders SELECT g, CURRENT_DATE - INTERVAL '2 day', g FROM generate_series(121, 150) g");
            int port = TributaryApp.freePort();
            try (TributaryApp app = TributaryApp.builder().properties(central.beanProperties("centralDb"))
                    .properties(orders.beanProperties("ordersDb"))
                    .property("camel.server.port", "" + port)
                    .property("tributary.central.password", "pw-online")
                    .property("tributary.sync.sql-sources.ordersDb.tables", "orders")
                    .property("tributary.offline.orders-cron", "0/2 * * * * ?")
                    .routes("file:routes/central-import.camel.yaml", "file:routes/collection-sync.camel.yaml",
                            "file:routes/jobs.camel.yaml", "file:routes/examples/nightly-online-copy.camel.yaml")
                    .start()) {
                CentralClient client = new CentralClient(port).credentials("root", "pw-online");
                // a document of another day, already in the collection: a copy of today's partition leaves it
                assertThat(client.post("/_api/import?collection=orders&type=documents&createCollection=true",
                        "{\"_key\":\"old-1\",\"ts\":\"2026-01-01T00:00:00\"}").status()).isEqualTo(201);
                Await.until("today's 120 orders in the collection", Duration.ofMinutes(1),
                        () -> client.get("/_api/collection/orders/count").json().path("count").asLong() == 121);
                // the rows are committed before the job records its result
                Await.until("a succeeded copy job", Duration.ofMinutes(1),
                        () -> client.get("/api/jobs?kind=sync").json().path("jobs").findValuesAsText("status")
                                .contains("succeeded"));
                assertThat(client.get("/_api/collection/orders/count").json().path("count").asLong()).isEqualTo(121);
                assertThat(client.get("/_api/document/orders/old-1").status()).isEqualTo(200);
                assertThat(client.get("/_api/document/orders/130").status()).as("two days ago: not today's").isEqualTo(404);
            }
        }
    }
}
