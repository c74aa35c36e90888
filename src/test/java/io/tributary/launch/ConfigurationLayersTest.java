package io.tributary.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.Await;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each layer of settings beats the one below it, in a real process started as users start it:
 * built-in default < packaged application.properties < ./application.properties < environment < -D.
 * The observed settings: the context name (Camel's default "camel-1", "tributary" in the packaged file),
 * the HTTP port (the server and /observe must share it) and the central password; for the mixed-case
 * keys of the central pool, the H2 file it opens and its number of open connections.
 */
class ConfigurationLayersTest {

    @TempDir
    Path dir;

    @Test
    void theWorkingDirectoryFileBeatsThePackagedOneWhichBeatsTheBuiltInDefault() throws Exception {
        int port = TributaryApp.freePort();
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + port);
        try (TributaryProcess p = TributaryProcess.builder("file-layer").workDir(launch.dir).logDir(dir).start()) {
            LaunchDirectory.awaitSummary(p);
            // camel.main.name is only in the packaged file; the port only here; the host only in the packaged file
            assertThat(p.logText()).contains("Apache Camel 4.17.0 (tributary) started")
                    .contains("Tributary is listening on http://127.0.0.1:" + port + " (this host only");
            assertThat(LaunchDirectory.statusWithPassword(port, null)).isEqualTo(404);
        }
    }

    @Test
    void environmentVariablesBeatTheFilesAndMoveTheWholeServer() throws Exception {
        int filePort = TributaryApp.freePort();
        int envPort = TributaryApp.freePort();
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + filePort,
                "camel.main.name = from-file");
        try (TributaryProcess p = TributaryProcess.builder("env-layer").workDir(launch.dir).logDir(dir)
                .env("CAMEL_SERVER_PORT", "" + envPort).env("CAMEL_MAIN_NAME", "from-env")
                .env("TRIBUTARY_CENTRAL_PASSWORD", "env-secret").start()) {
            LaunchDirectory.awaitSummary(p);
            assertThat(p.logText()).contains("(from-env) started")
                    .contains("Tributary is listening on http://127.0.0.1:" + envPort)
                    .doesNotContain("HttpServer started on 127.0.0.1:" + filePort)
                    .contains("health: http://127.0.0.1:" + envPort + "/observe/health");
            assertThat(LaunchDirectory.statusWithPassword(envPort, null)).isEqualTo(401);
            assertThat(LaunchDirectory.statusWithPassword(envPort, "env-secret")).isEqualTo(404);
        }
    }

    @Test
    void systemPropertiesBeatEnvironmentVariables() throws Exception {
        int envPort = TributaryApp.freePort();
        int sysPort = TributaryApp.freePort();
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.main.name = from-file");
        try (TributaryProcess p = TributaryProcess.builder("sys-layer").workDir(launch.dir).logDir(dir)
                .env("CAMEL_SERVER_PORT", "" + envPort).env("CAMEL_MAIN_NAME", "from-env")
                .env("TRIBUTARY_CENTRAL_PASSWORD", "env-secret")
                .property("camel.server.port", "" + sysPort).property("camel.main.name", "from-d")
                .property("tributary.central.password", "d-secret").start()) {
            LaunchDirectory.awaitSummary(p);
            assertThat(p.logText()).contains("(from-d) started")
                    .contains("Tributary is listening on http://127.0.0.1:" + sysPort)
                    .doesNotContain("HttpServer started on 127.0.0.1:" + envPort);
            assertThat(LaunchDirectory.statusWithPassword(sysPort, "env-secret")).isEqualTo(401);
            assertThat(LaunchDirectory.statusWithPassword(sysPort, "d-secret")).isEqualTo(404);
        }
    }

    @Test
    void aVariableNamesTheKeyAsCamelDoesAndMinusDKeepsItsKey() {
        Properties files = new Properties();
        files.setProperty("camel.main.routes-reload-enabled", "false");
        files.setProperty("camel.server.port", "8529");
        files.setProperty("camel.beans.centralDb.jdbcUrl", "jdbc:h2:mem:x");
        Properties system = new Properties();
        system.setProperty("camel.server.port", "9000");
        Map<String, String> env = Map.of("CAMEL_MAIN_ROUTES_RELOAD_ENABLED", "true", "CAMEL_SERVER_PORT", "7000",
                "CAMEL_BEANS_CENTRALDB_JDBCURL", "jdbc:postgresql://db/central");

        assertThat(ConfigurationLayers.environmentOverrides(files, env, system)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "camel.main.routes-reload-enabled", "true",
                "camel.beans.centralDb.jdbcUrl", "jdbc:postgresql://db/central"));
    }

    @Test
    void aVariableForAMixedCaseKeyOfAFileSetsThatKey() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("env-central") + ";AUTO_SERVER=TRUE";
        // camel.beans.centralDb.jdbcUrl and .maximumPoolSize are in the packaged file only
        try (TributaryProcess p = startedWith(TributaryApp.freePort(), Map.of("CAMEL_BEANS_CENTRALDB_JDBCURL", url,
                "CAMEL_BEANS_CENTRALDB_MAXIMUMPOOLSIZE", "3"))) {
            assertThat(Files.exists(dir.resolve("data/central.mv.db"))).isFalse();
            // the pool fills up to maximumPoolSize (Hikari's minimumIdle defaults to it), plus this session
            awaitSessions(url, 3 + 1);
        }
    }

    @Test
    void aVariableForAKeyNoFileNamesIsMappedAsCamelMapsIt() throws Exception {
        int port = TributaryApp.freePort();
        String url = "jdbc:h2:file:" + dir.resolve("data/central") + ";AUTO_SERVER=TRUE";
        // camel.health.routesEnabled as Camel names it, camel.health.routes.enabled; connectionInitSql: a
        // property of a bean the files declare
        try (TributaryProcess p = startedWith(port, Map.of("CAMEL_HEALTH_ROUTES_ENABLED", "false",
                "CAMEL_BEANS_CENTRALDB_CONNECTIONINITSQL", "CREATE TABLE IF NOT EXISTS ENV_MARK(ID INT)"))) {
            assertThat(LaunchDirectory.get(port, "/observe/health?exposureLevel=full"))
                    .contains("\"name\":\"context\"").doesNotContain("\"name\":\"route:");
            assertThat(count(url, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ENV_MARK'")).isEqualTo(1);
        }
    }

    /** A node in {@code dir} on {@code port}, with these environment variables, once it has started. */
    private TributaryProcess startedWith(int port, Map<String, String> env) throws Exception {
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + port);
        TributaryProcess.Builder builder = TributaryProcess.builder("env").workDir(launch.dir).logDir(dir);
        env.forEach(builder::env);
        TributaryProcess p = builder.start();
        try {
            LaunchDirectory.awaitSummary(p);
            return p;
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    private static void awaitSessions(String url, int expected) {
        Await.until(expected + " sessions on " + url, Duration.ofSeconds(20), () -> sessions(url) == expected,
                () -> "sessions: " + sessions(url));
    }

    private static int sessions(String url) {
        return count(url, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS");
    }

    private static int count(String url, String query) {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    @Test
    void camelsLowerCaseKeysKeepTheFilesSpellingOfABeanAndLeaveFileKeysToTheExactMapping() {
        Properties files = new Properties();
        files.setProperty("camel.beans.centralDb.jdbcUrl", "jdbc:h2:mem:x");
        files.setProperty("camel.server.host", "127.0.0.1");
        Properties mapped = new Properties();
        mapped.setProperty("camel.beans.centraldb.jdbcurl", "jdbc:postgresql://db/central");
        mapped.setProperty("camel.beans.centraldb.minimumidle", "1");
        mapped.setProperty("camel.beans.ordersdb.jdbcurl", "jdbc:postgresql://db/orders");
        mapped.setProperty("camel.server.host", "0.0.0.0");
        mapped.setProperty("camel.management.path", "/watch");
        mapped.setProperty("camel.main.routes.reload.enabled", "true");
        mapped.setProperty("camel.component.http.automatic.retries.disabled", "false");
        Properties system = new Properties();

        assertThat(ConfigurationLayers.camelGroupOverrides(mapped, files, system)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "camel.beans.centralDb.minimumidle", "1",
                "camel.beans.ordersdb.jdbcurl", "jdbc:postgresql://db/orders",
                "camel.management.path", "/watch"));
    }
}
