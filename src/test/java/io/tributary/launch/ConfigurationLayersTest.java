package io.tributary.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each layer of settings beats the one below it, in a real process started as users start it:
 * built-in default < packaged application.properties < ./application.properties < environment < -D.
 * The observed settings: the context name (Camel's default "camel-1", "tributary" in the packaged file),
 * the HTTP port (the server and /observe must share it) and the central password.
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
}
