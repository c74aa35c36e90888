package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The core end to end, with nothing simulated: three source databases (H2, PostgreSQL, MariaDB) each
 * get 100 rows in their change table; the real source template and the real central import endpoint
 * move them into one central collection stored on the database of the subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ManySourcesIntoCentralContract {

    private static final int ROWS = 100;
    private final List<TestDatabase> sources = new ArrayList<>();
    private TestDatabase central;
    private Path routesDir;
    private int port;

    /** The database the central collection is stored on. */
    abstract Dialect dialect();

    @BeforeAll
    void createDatabases() throws Exception {
        central = TestDatabase.create(dialect(), "central");
        routesDir = Files.createTempDirectory("tributary-routes-");
        port = TributaryApp.freePort();
        for (Dialect d : Dialect.values()) {
            TestDatabase db = TestDatabase.create(d, "src");
            sources.add(db);
            db.execute("CREATE TABLE changes (id " + db.identityKey() + ", item VARCHAR(50) NOT NULL, qty INT NOT NULL)");
            String bean = "src" + d.name().toLowerCase();
            Map<String, String> source = SourceApp.source(bean, "changes", "http://127.0.0.1:" + port);
            source.put("dataSource", bean);
            source.put("batchSize", "7");
            SourceApp.writeSourceFile(routesDir, source);
        }
    }

    @AfterAll
    void dropDatabases() {
        sources.forEach(TestDatabase::close);
        central.close();
    }

    @Test
    void everyRowOfEverySourceArrivesOnceAndChangeTablesAreCleaned() {
        for (TestDatabase db : sources) {
            for (int i = 1; i <= ROWS; i++) {
                db.execute("INSERT INTO changes (item, qty) VALUES ('item-" + i + "', " + i + ")");
            }
        }
        TributaryApp.Builder builder = TributaryApp.builder()
                .property("camel.server.port", String.valueOf(port))
                .properties(central.beanProperties("centralDb"))
                .routes("file:routes/central-import.camel.yaml", "file:routes/change-source-template.camel.yaml",
                        "file:" + routesDir + "/*.yaml");
        for (TestDatabase db : sources) {
            builder.properties(db.beanProperties("src" + db.dialect().name().toLowerCase()));
        }
        try (TributaryApp app = builder.start()) {
            Await.until("all change tables drained", Duration.ofSeconds(60),
                    () -> sources.stream().allMatch(db -> db.count("SELECT COUNT(*) FROM changes") == 0));
            List<Map<String, Object>> docs = CentralCollection.documents(central, "central");
            assertThat(docs).hasSize(3 * ROWS);
            Set<String> keys = new TreeSet<>();
            for (Map<String, Object> doc : docs) {
                keys.add((String) doc.get("_key"));
            }
            assertThat(keys).hasSize(3 * ROWS);
            for (TestDatabase db : sources) {
                String source = "src" + db.dialect().name().toLowerCase();
                assertThat(keys).contains(source + "-1", source + "-" + ROWS);
                assertThat(docs).filteredOn(d -> source.equals(d.get("_source"))).hasSize(ROWS)
                        .anySatisfy(d -> {
                            assertThat(d.get("_key")).isEqualTo(source + "-42");
                            assertThat(d.get("item")).isEqualTo("item-42");
                            assertThat(((Number) d.get("qty")).intValue()).isEqualTo(42);
                        });
                assertThat(db.query("SELECT last_key FROM tributary_status WHERE source_id = ?", source))
                        .extracting(r -> r.get("last_key")).containsExactly(String.valueOf(ROWS));
            }
        }
    }
}
