package io.tributary.source;

import static io.tributary.testing.SourceApp.source;
import static io.tributary.testing.SourceApp.writeSourceFile;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CapturedLogs;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source files are checked like code at start-up: a wrong file (misspelled parameter, missing or
 * invalid value, unknown DataSource bean) fails only its own source, with the file, the route and the
 * reason in the log and in /observe/health; the good source and the central endpoint run on.
 */
class SourceFileCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A wrong password next to the mistakes: refusing the file must not show it anywhere. */
    private static final String PASSWORD = "wrong-Pa55word-7731";

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void aWrongSourceFileFailsOnlyItsSource(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.create(Dialect.H2, "check_src"); TestDatabase centralDb = TestDatabase.create(Dialect.H2, "check_central")) {
            db.execute("CREATE TABLE good_changes (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))");
            db.execute("INSERT INTO good_changes (v) VALUES ('a'), ('b'), ('c')");
            int port = TributaryApp.freePort();
            String centralUrl = "http://127.0.0.1:" + port;
            writeSourceFile(dir, source("good", "good_changes", centralUrl));
            Map<String, String> misspelled = source("typo", "good_changes", centralUrl);
            misspelled.put("bachSize", "10");
            misspelled.put("centralPassword", PASSWORD);
            writeSourceFile(dir, misspelled);
            Map<String, String> secretTypo = source("pwtypo", "good_changes", centralUrl);
            secretTypo.put("centralPasword", PASSWORD);
            writeSourceFile(dir, secretTypo);
            Map<String, String> missing = source("nocollection", "good_changes", centralUrl);
            missing.remove("collection");
            writeSourceFile(dir, missing);
            Map<String, String> badNumber = source("badnumber", "good_changes", centralUrl);
            badNumber.put("batchSize", "abc");
            badNumber.put("centralPassword", PASSWORD);
            writeSourceFile(dir, badNumber);
            writeWith(dir, "zerobatch", centralUrl, "batchSize", "0");
            writeWith(dir, "endlesswait", centralUrl, "batchTimeoutMs", "0");
            writeWith(dir, "badmode", centralUrl, "mode", "foo");
            writeWith(dir, "nobean", centralUrl, "dataSource", "ordersDb");
            // values the central node would refuse in every run: refused here with its own rules
            writeWith(dir, "badid", centralUrl, "sourceId", "a b/../x");
            writeWith(dir, "badcollection", centralUrl, "collection", "bad coll");
            writeWith(dir, "baddatabase", centralUrl, "database", "9db");
            writeWith(dir, "badprefix", centralUrl, "keyPrefix", "x/");
            writeWith(dir, "ftp", centralUrl, "centralUrl", "ftp://x");
            writeWith(dir, "notimestamp", centralUrl, "mode", "timestamp");
            // the status API, run, pause and verify find a source's route by its sourceId
            writeWith(dir, "renamed", centralUrl, "sourceId", "other");
            // "- name: maxChanges" with its value line left out (or not written yet)
            writeWith(dir, "novalue", centralUrl, "maxChanges", "NOVALUE");
            Path novalue = dir.resolve("novalue.camel.yaml");
            Files.writeString(novalue, Files.readString(novalue).replace("\n        value: \"NOVALUE\"", ""));

            try (TributaryApp app = TributaryApp.builder()
                    .routes("file:routes/central-import.camel.yaml", "file:routes/change-source-template.camel.yaml",
                            "file:" + dir.toAbsolutePath() + "/*.yaml")
                    .properties(db.beanProperties("sourceDb")).properties(centralDb.beanProperties("centralDb"))
                    .property("camel.server.port", Integer.toString(port)).start()) {
                Await.until("the good source's rows at the central node", WAIT,
                        () -> db.count("SELECT COUNT(*) FROM good_changes") == 0);
                assertThat(CentralCollection.documents(centralDb, "central")).hasSize(3);

                assertRefused(app, dir, "typo", "unknown parameter 'bachSize' (did you mean 'batchSize'?)");
                assertRefused(app, dir, "pwtypo", "unknown parameter 'centralPasword' (did you mean 'centralPassword'?)");
                assertRefused(app, dir, "nocollection", "missing required parameter 'collection'");
                assertRefused(app, dir, "badnumber", "batchSize");
                assertRefused(app, dir, "zerobatch", "batchSize must be at least 1, not 0");
                assertRefused(app, dir, "endlesswait", "batchTimeoutMs must be at least 1 (milliseconds), not 0");
                assertRefused(app, dir, "badmode", "foo");
                assertRefused(app, dir, "nobean", "parameter 'dataSource': no bean named 'ordersDb'");
                assertRefused(app, dir, "badid", "Source 'a b/../x': invalid source id 'a b/../x': use 1 to 200 of A-Z a-z 0-9 _ . : -");
                assertRefused(app, dir, "badcollection", "illegal name: collection 'bad coll' must start with a letter"
                        + " and contain only letters, digits, '_' and '-' (at most 256)");
                assertRefused(app, dir, "baddatabase", "database name invalid: '9db' must start with a letter");
                assertRefused(app, dir, "badprefix", "invalid keyPrefix 'x/': at most 253 of the characters of a document key");
                assertRefused(app, dir, "ftp", "centralUrl must be an http or https URL, not scheme 'ftp'");
                assertRefused(app, dir, "notimestamp", "parameter timestampColumn is required with mode=timestamp");
                assertRefused(app, dir, "novalue", "parameter 'maxChanges' has no value: give it one, or leave the parameter out");
                assertRefused(app, dir, "renamed", "routeId 'renamed' differs from sourceId 'other': give both the same value");
                assertThat(app.context().getRoute("good")).isNotNull();
                for (String refused : List.of("typo", "pwtypo", "nocollection", "badnumber", "zerobatch", "endlesswait", "badmode", "nobean",
                        "badid", "badcollection", "baddatabase", "badprefix", "ftp", "notimestamp", "renamed", "novalue")) {
                    assertThat(app.context().getRoute(refused)).as(refused).isNull();
                }

                // what an operator sees: the full health answer names the file and the reason
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(centralUrl + "/observe/health?exposureLevel=full&data=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode typo = null;
                for (JsonNode check : new ObjectMapper().readTree(health.body()).get("checks")) {
                    if (check.get("name").asText().equals("source-file-" + dir.resolve("typo.camel.yaml") + "#typo")) {
                        typo = check;
                    }
                }
                assertThat(typo).as(health.body()).isNotNull();
                assertThat(typo.get("status").asText()).as("listed, but no reason to take the node down").isEqualTo("UP");
                assertThat(typo.get("data").get("refused").asBoolean()).isTrue();
                assertThat(typo.get("data").get("file").asText()).isEqualTo(dir.resolve("typo.camel.yaml").toString());
                assertThat(typo.get("data").get("error").asText()).endsWith("unknown parameter 'bachSize' (did you mean 'batchSize'?)");
                assertThat(health.body()).doesNotContain(PASSWORD);
                assertThat(logs.events()).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(PASSWORD));
            }
        }
    }

    /** From Tributary's main, a sourceId twice refuses the start with one line, without Camel's stack traces. */
    @Test
    void aSourceIdTwiceRefusesTheStartWithOneLine(@TempDir Path dir) throws Exception {
        Map<String, String> eu = source("orders", "good_changes", "http://127.0.0.1:1");
        Path one = writeSourceFile(dir, "orders-eu", eu);
        Path two = writeSourceFile(dir, "orders-us", eu);
        try (TributaryProcess p = TributaryProcess.builder("sourceid-twice").logDir(dir.resolve("logs"))
                .property("camel.server.port", Integer.toString(TributaryApp.freePort()))
                .routes(SourceApp.TEMPLATE, "file:" + one, "file:" + two).start()) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            String log = p.logText();
            assertThat(log).contains("ERROR [main] io.tributary.Tributary - Not started: Two sources use sourceId 'orders': route ")
                    .doesNotContain("\tat ");
            assertThat(log.split("Two sources use sourceId", -1)).as(log).hasSize(2);
        }
    }

    /** {@code <routeId>.camel.yaml}: a source of the good table with one parameter set to {@code value}. */
    private static void writeWith(Path dir, String routeId, String centralUrl, String name, String value) {
        Map<String, String> parameters = source(routeId, "good_changes", centralUrl);
        parameters.put(name, value);
        writeSourceFile(dir, routeId, parameters);
    }

    private void assertRefused(TributaryApp app, Path dir, String routeId, String reason) {
        String file = dir.resolve(routeId + ".camel.yaml").toAbsolutePath().toString();
        HealthCheck.Result result = HealthCheckRegistry.get(app.context()).getCheck("source-file-" + file + "#" + routeId)
                .orElseThrow().call();
        assertThat(result.getDetails().get("refused")).as(routeId).isEqualTo(true);
        assertThat(result.getMessage()).as(routeId).hasValueSatisfying(m -> assertThat(m)
                .startsWith(file + ", route " + routeId + ": ").contains(reason));
        assertThat(logs.events()).as("the log line of " + routeId).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).startsWith(file + ", route " + routeId + ": ").contains(reason);
        });
    }
}
