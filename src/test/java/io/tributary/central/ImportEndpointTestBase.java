package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.sql.Clob;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** One real app on one fresh database per test class; subclasses choose the database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImportEndpointTestBase {

    TestDatabase db;
    TributaryApp app;
    CentralClient client;
    int port;
    private final List<Runnable> detachLogs = new ArrayList<>();

    abstract Dialect dialect();

    /** Extra properties for the app, e.g. credentials. */
    void configure(TributaryApp.Builder builder) {
    }

    @BeforeAll
    void startApp() {
        db = TestDatabase.create(dialect(), getClass().getSimpleName());
        port = TributaryApp.freePort();
        TributaryApp.Builder builder = TributaryApp.builder().properties(db.beanProperties("centralDb"))
                .property("camel.server.port", "" + port)
                .routes("file:routes/central-import.camel.yaml");
        configure(builder);
        app = builder.start();
        client = new CentralClient(port);
    }

    /** Captures what this logger writes from now until the app stops; call it in configure() to see start-up too. */
    ListAppender<ILoggingEvent> captureLogs(String loggerName) {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        logger.addAppender(logs);
        detachLogs.add(() -> logger.detachAppender(logs));
        return logs;
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.close();
        }
        detachLogs.forEach(Runnable::run);
        if (db != null) {
            db.close();
        }
    }

    /** Rows of a collection's table, found through the catalog as an operator would. */
    long rows(String collection) {
        return rows("_system", collection);
    }

    long rows(String database, String collection) {
        var t = db.query("SELECT table_name FROM tributary_collections WHERE database_name = ? AND collection_name = ?",
                database, collection);
        if (t.isEmpty()) {
            return -1;
        }
        return db.count("SELECT COUNT(*) FROM " + db.dialect().quote((String) t.get(0).get("table_name")));
    }

    long collections() {
        return db.count("SELECT COUNT(*) FROM tributary_collections");
    }

    /** The stored document of {@code _system}, read from the collection's table with SQL; null if there is no row. */
    JsonNode storedRow(String collection, String key) {
        var t = db.query("SELECT table_name FROM tributary_collections WHERE database_name = ? AND collection_name = ?",
                "_system", collection);
        assertThat(t).as("collection " + collection + " in the catalog").hasSize(1);
        var found = db.query("SELECT " + db.dialect().quote("doc") + " AS doc FROM " + db.dialect().quote((String) t.get(0).get("table_name"))
                + " WHERE " + db.dialect().quote("_key") + " = ?", key);
        if (found.isEmpty()) {
            return null;
        }
        Object doc = found.get(0).get("doc");
        try {
            String text = doc instanceof Clob clob ? clob.getSubString(1, (int) clob.length()) : String.valueOf(doc);
            return Json.MAPPER.readTree(text);
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode storedDocument(String collection, String key) {
        CentralClient.Response r = client.get("/_api/document/" + collection + "/" + key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static void assertCounts(CentralClient.Response r, int created, int errors, int empty, int updated, int ignored) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode j = r.json();
        assertThat(j.get("error").asBoolean()).isFalse();
        assertThat(new int[] {j.get("created").asInt(), j.get("errors").asInt(), j.get("empty").asInt(),
                j.get("updated").asInt(), j.get("ignored").asInt()})
                .as(r.body()).containsExactly(created, errors, empty, updated, ignored);
    }

    static void assertError(CentralClient.Response r, int status, int errorNum, String messagePart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode j = r.json();
        assertThat(j.get("error").asBoolean()).as(r.body()).isTrue();
        assertThat(j.get("code").asInt()).isEqualTo(status);
        assertThat(j.get("errorNum").asInt()).as(r.body()).isEqualTo(errorNum);
        assertThat(j.get("errorMessage").asText()).containsIgnoringCase(messagePart);
    }
}
