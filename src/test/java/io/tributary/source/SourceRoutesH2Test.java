package io.tributary.source;

import static io.tributary.testing.SourceApp.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.SourceApp;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;

class SourceRoutesH2Test extends SourceRoutesContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Test
    void aMisconfiguredSourceIsRefusedNamingTheParameter() {
        createNumericTable(table);
        assertRefused(Map.of("parallelBatches", "0"), "parallelBatches must be 1 to 32");
        assertRefused(Map.of("mode", "sometimes"), "sometimes");
        assertRefused(Map.of("mode", "incrementing", "timestampColumn", "name"),
                "timestampColumn is only used with mode=timestamp and mode=change-table");
        assertRefused(Map.of("timestampColumn", "name; drop table x"), "timestampColumn");
        assertRefused(Map.of("keyColumn", "id; drop table x"), "keyColumn");
    }

    /** /observe/health lists a source as soon as Camel has made its route, before its first run. */
    @Test
    void aSourcesHealthCheckIsRegisteredBeforeItsFirstRun() {
        Map<String, String> s = numericSource("idle", 3);
        s.put("poll", "timer:tributary-idle?period=600000&delay=600000");
        try (SourceApp started = SourceApp.start(db, dir, s)) {
            assertThat(started.app().context().getRoute("idle")).isNotNull();
            HealthCheck.Result health = HealthCheckRegistry.get(started.app().context()).getCheck("source-idle")
                    .orElseThrow(() -> new AssertionError("no health check source-idle before the first run")).call();
            assertThat(health.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(rows(table)).as("no run has happened").isEqualTo(3);
        }
    }

    /** The process starts; the source does not, and its health check says why, naming its file. */
    private void assertRefused(Map<String, String> override, String expected) {
        Map<String, String> s = source("bad", table, central.url());
        s.putAll(override);
        try (SourceApp started = SourceApp.start(db, dir, s)) {
            assertThat(started.app().context().getRoute("bad")).as(override.toString()).isNull();
            String file = dir.resolve("bad.camel.yaml").toAbsolutePath().toString();
            HealthCheck.Result health = HealthCheckRegistry.get(started.app().context()).getCheck("source-file-" + file + "#bad")
                    .orElseThrow().call();
            assertThat(health.getDetails().get("refused")).isEqualTo(true);
            assertThat(health.getMessage()).as(override.toString()).hasValueSatisfying(m -> assertThat(m)
                    .startsWith(file + ", route bad: ").contains(expected));
        }
    }
}
