package io.tributary.twoway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bin/tributary two-way: one run of a pair, its result as JSON on stdout. */
class TwoWayCommandTest {

    @Test
    void runsOnePairAndPrintsTheReport() throws Exception {
        try (TestDatabase a = TestDatabase.create(Dialect.H2, "cli_a"); TestDatabase b = TestDatabase.create(Dialect.MARIADB, "cli_b");
             TestDatabase central = TestDatabase.create(Dialect.H2, "cli_central")) {
            a.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, changed_at TIMESTAMP(6) NOT NULL, body VARCHAR(40))",
                    "INSERT INTO notes VALUES (1, TIMESTAMP '2026-01-01 00:00:00', 'from a')");
            b.execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, changed_at DATETIME(6) NOT NULL, body VARCHAR(40))",
                    "INSERT INTO notes VALUES (2, '2026-01-02 00:00:00', 'from b')");
            Path pair = Files.createTempFile("pair", ".json");
            Files.writeString(pair, "{\"pair\": \"notes\", \"a\": {\"dataSource\": \"local\"}, \"b\": {\"dataSource\": \"remote\"},"
                    + " \"tables\": [\"notes\"], \"keyColumn\": \"id\", \"timestampColumn\": \"changed_at\"}");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = TwoWayCommand.run(new String[] {"--pair-file", pair.toString(), "--a-jdbc-url", a.jdbcUrl(),
                    "--a-jdbc-user", a.user(), "--b-jdbc-url", b.jdbcUrl(), "--b-jdbc-user", b.user(),
                    "--central-jdbc-url", central.jdbcUrl(), "--central-jdbc-user", central.user()}, Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
            var result = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
            assertEquals("succeeded", result.path("status").asText());
            assertEquals(1, result.path("result").path("directions").get(0).path("applied").asLong(), out.toString());
            assertEquals(2, a.count("SELECT COUNT(*) FROM notes"));
            assertEquals(2, b.count("SELECT COUNT(*) FROM notes"));

            ByteArrayOutputStream usage = new ByteArrayOutputStream();
            assertEquals(2, TwoWayCommand.run(new String[] {"--pair-file", pair.toString()}, Map.of(),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(usage, true, StandardCharsets.UTF_8)));
            assertTrue(usage.toString(StandardCharsets.UTF_8).contains("tributary two-way: --a-jdbc-url is required"), usage.toString());
        }
    }
}
