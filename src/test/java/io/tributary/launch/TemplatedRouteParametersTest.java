package io.tributary.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A misspelled parameter of a follower or two-way file refuses the start with one line naming the file,
 * the route and the name meant: Camel would ignore it and run the route with the default.
 */
class TemplatedRouteParametersTest {

    @TempDir
    Path dir;

    @Test
    void aFollowerFileWithAMisspelledParameterRefusesTheStart() throws Exception {
        String file = """
                - templatedRoute:
                    routeTemplateRef: tributary-follower
                    routeId: follower-central
                    parameters:
                      - { name: name, value: central }
                      - { name: primaryUrl, value: "http://127.0.0.1:1" }
                      - { name: colections, value: central }
                      - { name: waitSeconds, value: "5" }
                """;
        assertRefused("follow-central.camel.yaml", file, "route follower-central (template tributary-follower): "
                + "unknown parameter 'colections' (did you mean 'collections'?)");
    }

    @Test
    void aTwoWayFileWithAMisspelledParameterRefusesTheStart() throws Exception {
        String file = """
                - templatedRoute:
                    routeTemplateRef: tributary-two-way
                    routeId: shop-two-way
                    parameters:
                      - { name: pair, value: shop }
                      - { name: aDataSource, value: shopDb }
                      - { name: tabels, value: "orders,customers" }
                      - { name: key-column, value: id }
                      - { name: timestampColumn, value: changed_at }
                """;
        assertRefused("shop-two-way.camel.yaml", file, "route shop-two-way (template tributary-two-way): "
                + "unknown parameter 'tabels' (did you mean 'tables'?)");
    }

    private void assertRefused(String name, String file, String reason) throws Exception {
        LaunchDirectory launch = new LaunchDirectory(dir).settings("camel.server.port = " + TributaryApp.freePort());
        Files.writeString(launch.dir.resolve("routes").resolve(name), file);
        try (TributaryProcess p = TributaryProcess.builder("typo-" + name).workDir(launch.dir).logDir(dir.resolve("logs")).start()) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(p.logText()).contains("ERROR [main] io.tributary.Tributary - Not started: routes/" + name + ", " + reason)
                    .doesNotContain("Tributary is listening").doesNotContain("\tat ");
        }
    }
}
