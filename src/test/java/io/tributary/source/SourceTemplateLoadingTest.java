package io.tributary.source;

import io.tributary.testing.SourceApp;

import static io.tributary.testing.SourceApp.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the template is picked up: the default include pattern, and a quartz trigger instead of the timer. */
class SourceTemplateLoadingTest {

    @Test
    void defaultIncludePatternLoadsTheTemplateButNotTheExamples() {
        try (TributaryApp app = TributaryApp.builder()
                .property("camel.server.port", Integer.toString(TributaryApp.freePort())).start()) {
            assertThat(((ModelCamelContext) app.context()).getRouteTemplateDefinition("tributary-change-source")).isNotNull();
            assertThat(app.context().getRoute("orders")).isNull();
            assertThat(app.context().getRoute("crm-customers")).isNull();
        }
    }

    @Test
    void quartzStatefulTriggerRunsWithoutOverlap(@TempDir Path dir) {
        try (TestDatabase db = TestDatabase.create(Dialect.H2, "quartz"); TestCentral central = new TestCentral()) {
            db.execute("CREATE TABLE q_changes (id BIGINT PRIMARY KEY, name VARCHAR(20))");
            for (int i = 1; i <= 12; i++) {
                db.execute("INSERT INTO q_changes VALUES (" + i + ", 'q')");
            }
            Map<String, String> s = source("quartzy", "q_changes", central.url());
            s.put("poll", "quartz:tributary/quartzy?trigger.repeatInterval=20&trigger.repeatCount=-1&stateful=true");
            s.put("batchSize", "2");
            s.put("maxChanges", "4");
            s.put("parallelBatches", "1"); // so that any concurrent import would be an overlapping run
            central.delay(100);
            try (SourceApp app = SourceApp.start(db, dir, s)) {
                Await.until("12 documents", Duration.ofSeconds(20), () -> central.documentCount() == 12);
                Await.until("table emptied", Duration.ofSeconds(20), () -> db.count("SELECT COUNT(*) FROM q_changes") == 0);
            }
            assertThat(central.maxConcurrentImports()).isEqualTo(1);
            for (int i = 1; i <= 12; i++) {
                assertThat(central.timesApplied("central/quartzy-" + i)).isEqualTo(1);
            }
        }
    }
}
