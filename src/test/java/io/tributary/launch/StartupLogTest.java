package io.tributary.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up and shutdown log says what is true and nothing a user cannot act on. */
class StartupLogTest {

    @TempDir
    Path dir;

    @Test
    void printsTheBoundAddressAndNamesCtrlCAsSigint() throws Exception {
        int port = TributaryApp.freePort();
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + port);
        try (TributaryProcess p = TributaryProcess.builder("startup-log").workDir(launch.dir).logDir(dir).start()) {
            LaunchDirectory.awaitSummary(p);
            String started = p.logText();
            assertThat(started)
                    .contains("Tributary is listening on http://127.0.0.1:" + port + " (this host only")
                    .contains("health: http://127.0.0.1:" + port + "/observe/health")
                    .contains("settings: " + launch.dir.toRealPath().resolve("application.properties"))
                    // Camel's endpoint summary says 0.0.0.0 whatever the bind address; route URIs come %-encoded
                    .doesNotContain("0.0.0.0").doesNotContain("%7B")
                    .doesNotContain("\u001b[").doesNotContain("Opentelemetry").doesNotContain("Classpath scanning");

            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            Await.until("exit after SIGINT", Duration.ofSeconds(30), () -> !p.isAlive(), p::logText);
            String stopped = p.logText().substring(started.length());
            assertThat(stopped).contains("Received SIGINT (Ctrl-C): stopping").doesNotContain("SIGTERM")
                    .doesNotContain("%7B");
        }
    }

    /** With {@code -Dtributary.log.format=json} every log line is one JSON object, the start-up summary too. */
    @Test
    void logsOneJsonObjectPerLineWhenAskedTo() throws Exception {
        int port = TributaryApp.freePort();
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + port);
        try (TributaryProcess p = TributaryProcess.builder("json-log").workDir(launch.dir).logDir(dir)
                .property("tributary.log.format", "json").start()) {
            p.awaitStarted(Duration.ofSeconds(60));
            Await.until("the listening line", Duration.ofSeconds(10), () -> p.logText().contains("Tributary is listening"), p::logText);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : p.logText().split("\n")) {
                assertThat(line).as("a text line among the JSON ones").doesNotMatch("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");
                if (line.startsWith("{")) {
                    lines.add(Json.MAPPER.readTree(line));
                }
            }
            JsonNode listening = lines.stream().filter(l -> l.path("formattedMessage").asText().contains("Tributary is listening"))
                    .findFirst().orElseThrow();
            assertThat(listening.path("level").asText()).isEqualTo("INFO");
            assertThat(listening.path("loggerName").asText()).startsWith("io.tributary");
            assertThat(listening.path("formattedMessage").asText()).contains("http://127.0.0.1:" + port);
            assertThat(listening.path("timestamp").asLong()).isGreaterThan(1_700_000_000_000L);
        }
    }

    /**
     * A central database that refuses the login (a wrong password) is one WARN line and a start in seconds:
     * every route using the import endpoint starts the store, and each start used to try the login again.
     */
    @Test
    void aCentralDatabaseRefusingTheLoginIsOneWarningWithoutThePassword() throws Exception {
        String password = "Wr0ng-Pa55word-7";
        try (TestDatabase db = TestDatabase.create(Dialect.MARIADB, "wrongpw")) {
            int port = TributaryApp.freePort();
            LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + port,
                    "camel.beans.centralDb.jdbcUrl = " + db.jdbcUrl(), "camel.beans.centralDb.username = " + db.user(),
                    "camel.beans.centralDb.password = " + password);
            try (TributaryProcess p = TributaryProcess.builder("wrong-password").workDir(launch.dir).logDir(dir).start()) {
                LaunchDirectory.awaitSummary(p);
                String log = p.logText();
                assertThat(log.lines().filter(l -> l.contains("Central store not ready"))).as(log).hasSize(1);
                assertThat(log).contains("Access denied").doesNotContain(password);
                assertThat(LaunchDirectory.get(port, "/observe/health/ready")).contains("DOWN");
            }
        }
    }

    /** A value of the wrong type refuses the start with one line naming the setting, not only the parser's words. */
    @Test
    void aValueOfTheWrongTypeNamesTheSetting() throws Exception {
        assertThat(refusedStart("wrong-type", "tributary.central.max-attempts = five")).contains(
                "ERROR [main] io.tributary.Tributary - Not started: Cannot set camel.beans.centralStore.maxAttempts to 'five':"
                        + " For input string: \"five\"");
    }

    /**
     * A misspelled {@code tributary.*} key refuses the start naming the file and the key nearest to it: kept
     * silently, {@code pasword} would leave the node without the password its user meant to set.
     */
    @Test
    void aSettingNothingReadsRefusesTheStart() throws Exception {
        String log = refusedStart("misspelled-setting", "tributary.central.pasword = s3cret");
        assertThat(log).contains("ERROR [main] io.tributary.Tributary - Not started: "
                + dir.toRealPath().resolve("application.properties") + ": unknown setting 'tributary.central.pasword'"
                + " (did you mean 'tributary.central.password'?)").doesNotContain("s3cret");
        assertThat(log.lines().filter(l -> l.contains(" ERROR "))).as(log).hasSize(1);
    }

    /** A misspelled bean property is refused without its value: Camel's own words would print a password. */
    @Test
    void aMisspelledBeanPropertyIsRefusedWithoutItsValue() throws Exception {
        String log = refusedStart("misspelled-property", "camel.beans.centralDb.pasword = s3cret");
        assertThat(log).contains("ERROR [main] io.tributary.Tributary - Not started: Cannot set camel.beans.centralDb.pasword:"
                + " HikariDataSource has no property 'pasword'").doesNotContain("s3cret");
    }

    /** Every network interface without a password: one line saying why, not Camel's route failure before it. */
    @Test
    void refusesToServeTheNetworkWithoutAPasswordWithOneLine() throws Exception {
        String log = refusedStart("anonymous-network", "camel.server.host = 0.0.0.0");
        assertThat(log).contains("ERROR [main] io.tributary.Tributary - Not started: Refusing to serve the central endpoint"
                + " on 0.0.0.0 without a password: set tributary.central.password");
        assertThat(log.lines().filter(l -> l.contains(" ERROR "))).as(log).hasSize(1);
    }

    /** The log of a start with this setting that exited with 1 and printed no stack trace. */
    private String refusedStart(String name, String setting) throws Exception {
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + TributaryApp.freePort(), setting);
        try (TributaryProcess p = TributaryProcess.builder(name).workDir(launch.dir).logDir(dir).start()) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(p.logText()).doesNotContain("\tat ");
            return p.logText();
        }
    }

    @Test
    void refusesToStartWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + taken.getLocalPort());
            try (TributaryProcess p = TributaryProcess.builder("port-taken").workDir(launch.dir).logDir(dir).start()) {
                assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(p.logText()).contains("ERROR [main] io.tributary.Tributary - Not started: Cannot listen on 127.0.0.1:"
                        + taken.getLocalPort() + " (Address already in use)").doesNotContain("Tributary is listening");
            }
        }
    }

    @Test
    void refusesToStartOutsideItsDirectoryWithOneLineSayingWhy() throws Exception {
        // a directory with settings but no routes/: started from the wrong place
        Files.writeString(dir.resolve("application.properties"),
                "camel.server.port = " + TributaryApp.freePort() + "\n");
        try (TributaryProcess p = TributaryProcess.builder("no-routes").workDir(dir).logDir(dir.resolve("logs")).start()) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(p.logText()).contains("ERROR [main] io.tributary.Tributary - Not started: not found: "
                    + dir.toRealPath().resolve("routes")).doesNotContain("Exception in thread").doesNotContain("\tat ");
        }
    }
}
