package io.tributary.source;

import static io.tributary.testing.SourceApp.source;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.sun.net.httpserver.HttpServer;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CapturedLogs;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** How a source sends its batches: on its own pool of Camel's threads, and never waiting forever for an answer. */
class BatchSendingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();
    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void createTable() {
        db = TestDatabase.create(Dialect.H2, "sending");
        db.execute("CREATE TABLE chg (id BIGINT PRIMARY KEY, name VARCHAR(20))");
        for (int i = 1; i <= 6; i++) {
            db.execute("INSERT INTO chg VALUES (" + i + ", 'n" + i + "')");
        }
    }

    @AfterEach
    void dropTable() {
        db.close();
        batchLog().setLevel(null);
    }

    /** A batch's own line (after its checkpoint, on the thread that sent it) is DEBUG. */
    @BeforeEach
    void logBatches() {
        batchLog().setLevel(Level.DEBUG);
    }

    private static ch.qos.logback.classic.Logger batchLog() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OrderedCheckpoint.class);
    }

    @Test
    void batchesAreSentOnTheSourcesPoolFromCamelWhichStopsWithCamel() {
        BatchSenders senders;
        try (TestCentral central = new TestCentral()) {
            Map<String, String> s = source("pooled", "chg", central.url());
            s.put("batchSize", "2");
            try (SourceApp app = SourceApp.start(db, dir, s)) {
                Await.until("6 documents", WAIT, () -> central.documentCount() == 6);
                // a batch is logged after its checkpoint commits, which follows the central node's answer
                Await.until("the checkpoint of the last batch", WAIT, () -> logs.events().stream()
                        .anyMatch(e -> e.getFormattedMessage().startsWith("source=pooled batch=2 rows, watermark=6")));
                senders = (BatchSenders) ((ModelCamelContext) app.app().context()).getRouteDefinition("pooled")
                        .getRouteTemplateContext().getLocalBeanRepository().lookupByName("senders");
                assertThat(senders.getCamelContext()).as("CamelContextAware is honoured for the template bean")
                        .isSameAs(app.app().context());
                assertThat(senders.isShutdown()).isFalse();
                List<String> threads = logs.events().stream().filter(e -> e.getFormattedMessage().startsWith("source=pooled batch="))
                        .map(ILoggingEvent::getThreadName).distinct().toList();
                assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("Camel (").endsWith(" - tributary-pooled-sender"));
            }
        }
        assertThat(senders.isShutdown()).as("stopped with the Camel context").isTrue();
    }

    @Test
    void aCentralNodeThatNeverAnswersFailsTheBatchAfterBatchTimeoutMsAndLosesNothing() throws Exception {
        List<String> imports = new CopyOnWriteArrayList<>();
        AtomicLong firstImport = new AtomicLong();
        CountDownLatch testOver = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(Executors.newCachedThreadPool());
        silent.createContext("/", http -> {
            if (!http.getRequestMethod().equals("POST")) {
                http.sendResponseHeaders(404, -1); // the registration: a central node without a source registry
                http.close();
                return;
            }
            firstImport.compareAndSet(0, System.nanoTime());
            imports.add(http.getRequestURI().toString());
            try {
                testOver.await(); // accepted and read, never answered
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            http.close();
        });
        silent.start();
        try {
            Map<String, String> s = source("silent", "chg", "http://127.0.0.1:" + silent.getAddress().getPort());
            s.put("batchTimeoutMs", "1500");
            s.put("maximumRedeliveries", "0");
            s.put("poll", "timer:tributary-silent?period=600000&delay=0"); // one run
            try (SourceApp app = SourceApp.start(db, dir, s)) {
                // without batchTimeoutMs the client would wait 3 minutes
                Await.until("the run's failure logged", WAIT, () -> app.failedRuns() >= 1 && logs.events().stream()
                        .anyMatch(e -> e.getFormattedMessage().startsWith("source=silent run failed")));
                // timed from when the server has read the request, after the client started waiting: on a loaded
                // machine that may be a few hundred ms later
                assertThat((System.nanoTime() - firstImport.get()) / 1_000_000).as("ms from the first POST to the failure")
                        .isGreaterThanOrEqualTo(1000);
                assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .startsWith("source=silent run failed").contains("SocketTimeoutException"));
            }
        } finally {
            testOver.countDown();
            silent.stop(0);
        }
        assertThat(imports).isNotEmpty().allSatisfy(uri -> assertThat(uri).startsWith("/_api/import?")
                .as("the timeouts are the client's, not query parameters").doesNotContain("imeout"));
        assertThat(db.count("SELECT COUNT(*) FROM chg")).as("no change row deleted").isEqualTo(6);
        assertThat(db.count("SELECT COUNT(*) FROM tributary_status")).as("no watermark stored").isZero();
    }
}
