package io.tributary.source;

import static io.tributary.testing.SourceApp.source;
import static io.tributary.testing.SourceApp.writeSourceFile;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CapturedLogs;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload of source files (camel.main.routes-reload-enabled=true) on a real H2 source: an added
 * file starts its source, an edited one restarts it with the new batch size and poll period from its
 * stored watermark, a deleted one stops it and keeps its status row, a wrong one is refused alone with
 * the file named (under a health check of its own, never a running source's), and no other route is
 * restarted by any of it; a deleted file takes its plain routes with it, an emptied one changes nothing.
 */
class SourceFileReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void sourceFilesAddedEditedBrokenAndDeletedWhileRunning(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create(Dialect.H2, "reload"); TestCentral central = new TestCentral()) {
            db.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))",
                    "CREATE TABLE steady_changes (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))",
                    "CREATE TABLE typo_changes (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))",
                    "CREATE TABLE noid_changes (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))",
                    "INSERT INTO orders (v) VALUES ('o1'), ('o2'), ('o3'), ('o4'), ('o5')");
            // the routes that must not be touched: another source and a plain route, each in its own file
            writeSourceFile(dir, source("steady", "steady_changes", central.url()));
            Files.writeString(dir.resolve("ticker.camel.yaml"), "- route:\n    id: ticker\n    from:\n"
                    + "      uri: \"timer:ticker?period=3600000\"\n      steps:\n        - log: tick\n");
            try (TributaryApp app = startWatching(dir, db)) {
                List<String> stopped = new CopyOnWriteArrayList<>();
                app.context().getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.RouteStoppedEvent e) {
                            stopped.add(e.getRoute().getRouteId());
                        }
                    }
                });
                Route steady = app.context().getRoute("steady");
                Route ticker = app.context().getRoute("ticker");
                assertThat(steady).isNotNull();
                assertThat(ticker).isNotNull();

                // added: one run an hour, the whole backlog in one batch
                Map<String, String> orders = source("orders", "orders", central.url());
                orders.put("mode", "incrementing");
                orders.put("poll", "timer:orders?period=3600000&delay=100");
                writeSourceFile(dir, orders);
                Await.until("the added source's 5 rows", WAIT, () -> central.timesApplied("central/orders-5") == 1);
                Await.until("its watermark", WAIT, () -> "5".equals(lastKey(db, "orders")));
                Route before = app.context().getRoute("orders");

                // edited: batches of 2, a run every 100 ms
                orders.put("batchSize", "2");
                orders.put("poll", "timer:orders?period=100&delay=100");
                writeSourceFile(dir, orders);
                Await.until("the edited source restarted", WAIT,
                        () -> app.context().getRoute("orders") != null && app.context().getRoute("orders") != before);
                int requests = central.importRequests();
                db.execute("INSERT INTO orders (v) VALUES ('o6'), ('o7'), ('o8'), ('o9'), ('o10'), ('o11')");
                Await.until("6 more rows", WAIT, () -> central.timesApplied("central/orders-11") == 1);
                assertThat(central.importRequests() - requests).as("6 rows in batches of 2").isEqualTo(3);
                db.execute("INSERT INTO orders (v) VALUES ('o12')");
                Await.until("a row picked up by a later run (the new poll period)", WAIT,
                        () -> central.timesApplied("central/orders-12") == 1);
                for (int i = 1; i <= 5; i++) {
                    assertThat(central.timesApplied("central/orders-" + i)).as("row " + i + " sent once: the watermark was kept").isEqualTo(1);
                }

                // edited while a run is sending: the run ends (its batches acknowledged), then the new parameters apply
                Route second = app.context().getRoute("orders");
                central.delay(300);
                requests = central.importRequests();
                db.execute("INSERT INTO orders (v) VALUES ('o13'), ('o14'), ('o15'), ('o16')");
                int inFlight = requests;
                Await.until("a run sending", WAIT, () -> central.importRequests() > inFlight);
                orders.put("batchSize", "3");
                writeSourceFile(dir, orders);
                Await.until("restarted again", WAIT,
                        () -> app.context().getRoute("orders") != null && app.context().getRoute("orders") != second);
                Await.until("rows 13 to 16", WAIT, () -> central.timesApplied("central/orders-16") == 1);
                central.delay(0);
                for (int i = 13; i <= 16; i++) {
                    assertThat(central.timesApplied("central/orders-" + i)).as("row " + i + " sent once").isEqualTo(1);
                }
                assertThat(logs.events()).noneMatch(e -> e.getFormattedMessage().startsWith("source=orders run failed"));

                // a misspelled parameter added live: refused alone, the file named, a suggestion given
                Map<String, String> typo = source("typo", "typo_changes", central.url());
                typo.put("bachSize", "10");
                Path typoFile = writeSourceFile(dir, typo);
                String expected = typoFile + ", route typo: unknown parameter 'bachSize' (did you mean 'batchSize'?)";
                Await.until("the refusal logged", WAIT, () -> logs.events().stream().anyMatch(
                        e -> e.getLevel() == Level.ERROR && e.getFormattedMessage().startsWith(expected)));
                assertThat(health(app, refusal(typoFile, "typo")).getDetails().get("refused")).isEqualTo(true);
                assertThat(health(app, refusal(typoFile, "typo")).getMessage()).hasValue(expected);
                assertThat(app.context().getRoute("typo")).isNull();
                // corrected: it starts
                typo.remove("bachSize");
                typo.put("batchSize", "10");
                writeSourceFile(dir, typo);
                Await.until("the corrected file's source started", WAIT, () -> app.context().getRoute("typo") != null);
                // edited into an invalid value: the running source stops and is refused
                typo.put("mode", "sometimes");
                writeSourceFile(dir, typo);
                String invalid = typoFile + ", route typo: Invalid mode 'sometimes': use change-table, incrementing or timestamp";
                Await.until("the source refused for its invalid mode", WAIT, () -> HealthCheckRegistry.get(app.context())
                        .getCheck(refusal(typoFile, "typo")).map(c -> c.call().getMessage().orElse("")).orElse("").equals(invalid));
                assertThat(HealthCheckRegistry.get(app.context()).getCheck("source-typo")).as("the stopped source's own check").isEmpty();
                assertThat(app.context().getRoute("typo")).isNull();

                // a file without a routeId: the sourceId names the route
                Files.writeString(dir.resolve("noid.camel.yaml"), "- templatedRoute:\n    routeTemplateRef: tributary-change-source\n"
                        + "    parameters:\n      - {name: sourceId, value: noid}\n      - {name: dataSource, value: sourceDb}\n"
                        + "      - {name: table, value: noid_changes}\n      - {name: keyColumn, value: id}\n"
                        + "      - {name: collection, value: central}\n      - {name: centralUrl, value: \"" + central.url() + "\"}\n"
                        + "      - {name: poll, value: \"timer:noid?period=100&delay=100\"}\n");
                db.execute("INSERT INTO noid_changes (v) VALUES ('n1')");
                Await.until("the source without routeId runs", WAIT, () -> central.timesApplied("central/noid-1") == 1);
                assertThat(app.context().getRoute("noid")).isNotNull();

                // a second file under the sourceId of a running source: that file only is refused, under its own check
                Await.until("the orders source's health check", WAIT,
                        () -> HealthCheckRegistry.get(app.context()).getCheck("source-orders").isPresent());
                assertThat(health(app, "source-orders").getState()).isEqualTo(HealthCheck.State.UP);
                Path copy = writeSourceFile(dir, "orders-copy", source("orders", "orders", central.url()));
                String duplicate = copy + ", route orders-copy: Two sources use sourceId 'orders': route 'orders' in "
                        + dir.resolve("orders.camel.yaml") + " and route 'orders-copy' in " + copy;
                Await.until("the duplicate refused", WAIT, () -> logs.events().stream().anyMatch(e -> e.getLevel() == Level.ERROR
                        && e.getFormattedMessage().startsWith(duplicate)));
                assertThat(app.context().getRoute("orders-copy")).isNull();
                assertThat(app.context().getRoute("orders")).isNotNull();
                assertThat(health(app, refusal(copy, "orders-copy")).getDetails().get("refused")).isEqualTo(true);
                assertThat(health(app, refusal(copy, "orders-copy")).getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith(duplicate));
                assertThat(health(app, "source-orders").getState()).as("the running source's check").isEqualTo(HealthCheck.State.UP);
                Files.delete(copy);
                Await.until("the refusal's check removed with its file", WAIT,
                        () -> HealthCheckRegistry.get(app.context()).getCheck(refusal(copy, "orders-copy")).isEmpty());
                assertThat(health(app, "source-orders").getState()).as("the running source's check").isEqualTo(HealthCheck.State.UP);

                // deleted: the source stops and goes with its check, its status row stays
                Files.delete(dir.resolve("orders.camel.yaml"));
                Await.until("the deleted source removed", WAIT, () -> app.context().getRoute("orders") == null);
                assertThat(lastKey(db, "orders")).isEqualTo("16");
                assertThat(HealthCheckRegistry.get(app.context()).getCheck("source-orders")).isEmpty();

                // nothing else was restarted, and the other source still moves rows
                db.execute("INSERT INTO steady_changes (v) VALUES ('s1')");
                Await.until("the other source still running", WAIT, () -> central.timesApplied("central/steady-1") == 1);
                assertThat(app.context().getRoute("steady")).isSameAs(steady);
                assertThat(app.context().getRoute("ticker")).isSameAs(ticker);
                assertThat(stopped).containsOnly("orders", "typo");
            }
        }
    }

    @Test
    void refusedFilesAreNamedInHealthAndDeletedFilesTakeAllTheirRoutes(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create(Dialect.H2, "reload_files"); TestCentral central = new TestCentral()) {
            db.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))");
            // one file with a source and a plain route, and a plain route in a file of its own
            Path ordersFile = writeSourceFile(dir, source("orders", "orders", central.url()));
            Files.writeString(ordersFile, "- route:\n    id: orders-ticker\n    from:\n"
                    + "      uri: \"timer:orders-ticker?period=3600000\"\n      steps:\n        - log: tick\n",
                    StandardOpenOption.APPEND);
            Files.writeString(dir.resolve("ticker.camel.yaml"), "- route:\n    id: ticker\n    from:\n"
                    + "      uri: \"timer:ticker?period=3600000\"\n      steps:\n        - log: tick\n");
            try (TributaryApp app = startWatching(dir, db)) {
                HealthCheckRegistry registry = HealthCheckRegistry.get(app.context());
                Route ticker = app.context().getRoute("ticker");
                assertThat(app.context().getRoute("orders")).isNotNull();
                assertThat(app.context().getRoute("orders-ticker")).isNotNull();
                Await.until("the orders source's health check", WAIT, () -> registry.getCheck("source-orders").isPresent());

                // another file under a route id that runs: refused, and health names that file
                Path other = dir.resolve("other.camel.yaml");
                Files.writeString(other, "- templatedRoute:\n    routeTemplateRef: tributary-change-source\n    routeId: orders\n"
                        + "    parameters:\n      - {name: sourceId, value: other}\n      - {name: dataSource, value: sourceDb}\n"
                        + "      - {name: table, value: orders}\n      - {name: keyColumn, value: id}\n"
                        + "      - {name: collection, value: central}\n      - {name: centralUrl, value: \"" + central.url() + "\"}\n");
                String clash = other + ", route orders: route id 'orders' is already used by " + ordersFile;
                Await.until("the clash refused in health", WAIT, () -> registry.getCheck(refusal(other, "orders")).isPresent());
                assertThat(health(app, refusal(other, "orders")).getDetails().get("refused")).isEqualTo(true);
                assertThat(health(app, refusal(other, "orders")).getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith(clash));
                assertThat(logs.events()).anyMatch(e -> e.getLevel() == Level.ERROR && e.getFormattedMessage().startsWith(clash));
                assertThat(health(app, "source-orders").getState()).isEqualTo(HealthCheck.State.UP);
                Files.delete(other);
                Await.until("the clash's check removed with its file", WAIT, () -> registry.getCheck(refusal(other, "orders")).isEmpty());
                assertThat(downChecks(app)).isEmpty();

                // a file with neither routeId nor sourceId: refused once, and gone with the file
                Path unnamed = dir.resolve("unnamed.camel.yaml");
                Files.writeString(unnamed, "- templatedRoute:\n    routeTemplateRef: tributary-change-source\n"
                        + "    parameters:\n      - {name: dataSource, value: sourceDb}\n      - {name: table, value: orders}\n"
                        + "      - {name: keyColumn, value: id}\n      - {name: collection, value: central}\n"
                        + "      - {name: centralUrl, value: \"" + central.url() + "\"}\n");
                String missing = unnamed + ", route (no routeId, no sourceId): missing required parameter 'sourceId'";
                Await.until("the unnamed entry refused in health", WAIT, () -> registry.getCheck(refusal(unnamed, "(unnamed)")).isPresent());
                assertThat(health(app, refusal(unnamed, "(unnamed)")).getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith(missing));
                Files.delete(unnamed);
                Await.until("the unnamed entry's check removed with its file", WAIT,
                        () -> registry.getCheck(refusal(unnamed, "(unnamed)")).isEmpty());
                assertThat(downChecks(app)).isEmpty();
                assertThat(logs.events().stream().filter(e -> e.getLevel() == Level.ERROR
                        && e.getFormattedMessage().startsWith(missing))).as("one ERROR line for one mistake").hasSize(1);

                // emptied (a save in progress): one WARN line, no stack trace, the file's routes run on
                Route ordersRoute = app.context().getRoute("orders");
                Files.writeString(ordersFile, "");
                Await.until("the empty file reported", WAIT, () -> logs.events().stream().anyMatch(e -> e.getLevel() == Level.WARN
                        && e.getFormattedMessage().equals(ordersFile + " is empty: nothing changed, its routes run on as before"
                        + " (delete the file to remove them)")));
                // about this file (Camel may still report the file deleted above, whose events can trail its delete)
                assertThat(logs.events()).noneMatch(e -> e.getLevel() == Level.WARN && e.getThrowableProxy() != null
                        && e.getFormattedMessage().contains(ordersFile.toString()));
                assertThat(app.context().getRoute("orders")).isSameAs(ordersRoute);

                // a deleted file: its source and its plain route stop and go, another file's route runs on
                Files.delete(ordersFile);
                Await.until("the deleted file's routes removed", WAIT,
                        () -> app.context().getRoute("orders") == null && app.context().getRoute("orders-ticker") == null);
                assertThat(((ModelCamelContext) app.context()).getRouteDefinitions()).extracting(RouteDefinition::getRouteId).doesNotContain("orders", "orders-ticker");
                assertThat(app.context().getRoute("ticker")).isSameAs(ticker);
                assertThat(registry.getCheck("source-orders")).isEmpty();
            }
        }
    }

    /** Tributary with the source template and every file of {@code dir}, live reload on for {@code dir}. */
    private static TributaryApp startWatching(Path dir, TestDatabase db) {
        return TributaryApp.builder()
                .routes(SourceApp.TEMPLATE, "file:" + dir.toAbsolutePath() + "/*.yaml")
                .properties(db.beanProperties("sourceDb"))
                .property("camel.main.routes-reload-enabled", "true")
                .property("camel.main.routes-reload-directory", dir.toAbsolutePath().toString())
                .property("camel.server.port", Integer.toString(TributaryApp.freePort())).start();
    }

    private static List<String> downChecks(TributaryApp app) {
        return HealthCheckHelper.invoke(app.context()).stream().filter(r -> Boolean.TRUE.equals(r.getDetails().get("refused")) || Boolean.TRUE.equals(r.getDetails().get("failing")))
                .map(r -> r.getCheck().getId() + ": " + r.getMessage().orElse("")).toList();
    }

    /** The health check id of a refused entry: its file and route, never a running source's id. */
    private static String refusal(Path file, String route) {
        return "source-file-" + file + "#" + route;
    }

    private static HealthCheck.Result health(TributaryApp app, String id) {
        return HealthCheckRegistry.get(app.context()).getCheck(id).orElseThrow().call();
    }

    private static String lastKey(TestDatabase db, String sourceId) {
        List<Map<String, Object>> rows = db.query("SELECT last_key FROM tributary_status WHERE source_id = ?", sourceId);
        return rows.isEmpty() ? null : String.valueOf(rows.get(0).get("last_key"));
    }
}
