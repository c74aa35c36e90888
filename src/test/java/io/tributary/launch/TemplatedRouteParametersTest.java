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
        assertRefused("follow-central.camel.yaml", file("tributary-follower", "follower-central",
                "{name: name, value: central}, {name: primaryUrl, value: 'http://127.0.0.1:1'},"
                        + " {name: colections, value: central}, {name: waitSeconds, value: '5'}"),
                "route follower-central (template tributary-follower): unknown parameter 'colections' (did you mean 'collections'?)");
    }

    /** A kebab-case name is a declared one (Camel accepts it); the misspelled one is still found. */
    @Test
    void aTwoWayFileWithAMisspelledParameterRefusesTheStart() throws Exception {
        assertRefused("shop-two-way.camel.yaml", file("tributary-two-way", "shop-two-way",
                "{name: pair, value: shop}, {name: aDataSource, value: shopDb}, {name: key-column, value: id},"
                        + " {name: tabels, value: 'orders,customers'}, {name: timestampColumn, value: changed_at}"),
                "route shop-two-way (template tributary-two-way): unknown parameter 'tabels' (did you mean 'tables'?)");
    }

    private static String file(String template, String routeId, String parameters) {
        return "- templatedRoute:\n    routeTemplateRef: " + template + "\n    routeId: " + routeId
                + "\n    parameters: [" + parameters + "]\n";
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
