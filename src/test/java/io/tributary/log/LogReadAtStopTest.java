package io.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CapturedLogs;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A follower's long poll does not hold up the stop of its primary: the waiting read is answered at once,
 * as an empty page, instead of Camel's graceful shutdown waiting for it until its timeout.
 */
class LogReadAtStopTest {

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void aWaitingReadIsAnsweredWhenTheNodeStops() throws Exception {
        try (TestDatabase db = TestDatabase.create(Dialect.H2, "logstop")) {
            int port = TributaryApp.freePort();
            TributaryApp app = TributaryApp.builder().properties(db.beanProperties("centralDb"))
                    .property("camel.server.port", "" + port)
                    .routes("file:routes/central-import.camel.yaml", "file:routes/change-log.camel.yaml").start();
            CentralClient client = new CentralClient(port);
            long last;
            CompletableFuture<CentralClient.Response> read;
            try {
                assertThat(client.post("/_api/import?collection=orders&createCollection=true&type=array",
                        "[{\"_key\":\"a\"}]").status()).isEqualTo(201);
                last = client.get("/_api/tributary/log/state").json().path("lastTick").asLong();
                read = CompletableFuture.supplyAsync(() -> client.get("/_api/tributary/log?from=" + last + "&wait=30"));
                Await.until("the read waiting in its route", Duration.ofSeconds(10),
                        () -> app.context().getInflightRepository().size("change-log-read") == 1);
            } finally {
                app.close();
            }
            CentralClient.Response answer = read.get(5, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode page = answer.json();
            assertThat(page.path("entries").size()).isZero();
            assertThat(page.path("lastTick").asLong()).isEqualTo(last);
            assertThat(page.path("checkMore").asBoolean()).isFalse();
            assertThat(logs.events()).noneMatch(e -> e.getFormattedMessage().contains("Timeout occurred during graceful shutdown"));
        }
    }
}
