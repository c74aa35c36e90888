package io.tributary.source;

import static io.tributary.testing.SourceApp.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.SourceApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceRoutesH2Test extends SourceRoutesContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Test
    void aMisconfiguredSourceFailsStartUpNamingTheParameter() {
        createNumericTable(table);
        assertStartFails(Map.of("parallelBatches", "0"), "parallelBatches must be 1 to 32");
        assertStartFails(Map.of("mode", "sometimes"), "sometimes");
        assertStartFails(Map.of("timestampColumn", "name"), "timestampColumn is only used with mode=timestamp");
        assertStartFails(Map.of("keyColumn", "id; drop table x"), "keyColumn");
    }

    private void assertStartFails(Map<String, String> override, String expected) {
        Map<String, String> s = source("bad", table, central.url());
        s.putAll(override);
        StringBuilder messages = new StringBuilder();
        try (SourceApp started = SourceApp.start(db, dir, s)) {
            messages.append("started");
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
        }
        assertThat(messages.toString()).as(override.toString()).contains(expected);
    }
}
