package io.tributary.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.testing.TributaryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line tools as a script runs them, each in its own JVM with the product's logging: the
 * documented exit codes, JSON alone on stdout (it parses), log lines and errors on stderr.
 */
class CommandLineToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    /** Never set for a tool this test runs (see {@link #run(Map, String, String...)}). */
    private static final String UNSET = "TRIBUTARY_TEST_UNSET_PW";

    private Run run(String tool, String... args) throws Exception {
        return run(Map.of(), tool, args);
    }

    private Run run(Map<String, String> env, String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", TributaryProcess.productClasspath(), tool));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove(UNSET);
        builder.environment().putAll(env);
        Process p = builder.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s ends", tool).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private String h2(String name) {
        return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
    }

    @Test
    void syncPrintsOnlyItsJsonResultAndExitsZero() throws Exception {
        try (Connection c = DriverManager.getConnection(h2("source"), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        }
        Run sync = run("io.tributary.sync.SyncCommand", "--source-jdbc-url", h2("source"), "--source-jdbc-user", "sa",
                "--source-table", "items", "--key-column", "id", "--target-jdbc-url", h2("central"),
                "--target-jdbc-user", "sa", "--target-collection", "items");

        assertThat(sync.exit()).as(sync.err()).isZero();
        JsonNode result = JSON.readTree(sync.out());
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("result").path("rowsTransferred").asInt()).isEqualTo(3);
        // Hikari and the store log while the sync runs: all of it on stderr
        assertThat(sync.err()).contains("INFO");
    }

    @Test
    void backupTransferAndRestoreFromTheCommandLine() throws Exception {
        try (Connection c = DriverManager.getConnection(h2("site-a"), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE mt (id INT PRIMARY KEY, ts TIMESTAMP, v VARCHAR(20))");
            s.execute("INSERT INTO mt VALUES (1, TIMESTAMP '2026-11-29 10:00:00', 'a'), (2, TIMESTAMP '2026-11-30 10:00:00',"
                    + " 'b'), (3, TIMESTAMP '2026-11-30 22:00:00', 'c')");
        }
        try (Connection c = DriverManager.getConnection(h2("site-b"), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE mt (id INT PRIMARY KEY, ts TIMESTAMP, v VARCHAR(20))");
        }
        Files.createDirectories(dir.resolve("backups-a"));
        Run backup = run("io.tributary.offline.BackupCommand", "--directory", "backups-a", "--name", "mt-1130",
                "--source-jdbc-url", h2("site-a"), "--source-jdbc-user", "sa", "--source-table", "mt", "--key-column", "id",
                "--where", "ts >= TIMESTAMP '2026-11-30 00:00:00'", "--partition-by", "day:ts", "--compression", "gzip");
        assertThat(backup.exit()).as(backup.err()).isZero();
        assertThat(JSON.readTree(backup.out()).path("result").path("totals").path("rows").asInt()).isEqualTo(2);
        assertThat(dir.resolve("backups-a/mt-1130/partitions/p-000001.jsonl.gz")).exists();

        Run transfer = run("io.tributary.transfer.TransferCommand", "--directory", "backups-a", "--name", "mt-1130",
                "--destination", "file:" + dir.resolve("backups-b").toAbsolutePath());
        assertThat(transfer.exit()).as(transfer.err()).isZero();
        assertThat(JSON.readTree(transfer.out()).path("result").path("sent").toString()).contains("manifest.json");

        Run restore = run("io.tributary.offline.RestoreCommand", "--directory", "backups-b", "--name", "mt-1130",
                "--target-jdbc-url", h2("site-b"), "--target-jdbc-user", "sa", "--target-table", "mt", "--partition", "2026-11-*");
        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(JSON.readTree(restore.out()).path("result").path("partitions").findValuesAsText("status"))
                .containsExactly("restored");
        try (Connection c = DriverManager.getConnection(h2("site-b"), "sa", "");
             Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM mt")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }

        Run again = run("io.tributary.transfer.TransferCommand", "--directory", "backups-a", "--name", "mt-1130",
                "--destination", "file:" + dir.resolve("backups-b").toAbsolutePath());
        assertThat(JSON.readTree(again.out()).path("result").path("sent").size()).isZero();
        Run badPartitioning = run("io.tributary.offline.BackupCommand", "--directory", "backups-a", "--source-jdbc-url",
                h2("site-a"), "--source-table", "mt", "--key-column", "id", "--partition-by", "week:ts");
        assertThat(badPartitioning.exit()).isEqualTo(2);
        assertThat(badPartitioning.err()).contains("'partitionBy.by' must be one of");
        Run badLevel = run("io.tributary.offline.BackupCommand", "--directory", "backups-a", "--source-jdbc-url",
                h2("site-a"), "--source-table", "mt", "--key-column", "id", "--compression-level", "20");
        assertThat(badLevel.exit()).isEqualTo(2);
        assertThat(badLevel.err()).contains("'compressionLevel' of zstd must be an integer from 1 to 19, got 20");
        Run missing = run("io.tributary.offline.RestoreCommand", "--directory", "backups-b", "--name", "nope",
                "--target-jdbc-url", h2("site-b"), "--target-jdbc-user", "sa", "--target-table", "mt");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("backup 'nope' not found");
    }

    @Test
    void transferRefusesADestinationItCannotUseWithOneClearMessage() throws Exception {
        Run http = run("io.tributary.transfer.TransferCommand", "--directory", "backups", "--name", "b",
                "--destination", "http://x/");
        assertThat(http.exit()).isEqualTo(2);
        assertThat(http.out()).isEmpty();
        assertThat(http.err()).startsWith("tributary transfer: destination 'http://x/': write file:<directory> or"
                + " sftp://user@host[:port]/<directory>").contains("usage: bin/tributary transfer")
                .doesNotContain("Cannot create bean").doesNotContain("route");

        Run withPassword = run("io.tributary.transfer.TransferCommand", "--directory", "backups", "--name", "b",
                "--destination", "sftp://u:pw@host/x");
        assertThat(withPassword.exit()).isEqualTo(2);
        assertThat(withPassword.err()).startsWith("tributary transfer: destination 'sftp://u:***@host/x': write"
                + " sftp://user@host[:port]/directory").doesNotContain("pw@").doesNotContain("Cannot create bean");
    }

    @Test
    void aPasswordVariableThatIsNotSetIsAUsageErrorNamingIt() throws Exception {
        try (Connection c = DriverManager.getConnection(h2("site-a"), "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE mt (id INT PRIMARY KEY, v VARCHAR(20))");
        }
        Files.createDirectories(dir.resolve("backups"));
        String[] backup = {"--directory", "backups", "--source-jdbc-url", h2("site-a"), "--source-jdbc-user", "sa",
            "--source-table", "mt", "--key-column", "id", "--source-jdbc-password-env", UNSET};
        // H2's user sa has an empty password: without the check this backup would run, with no password
        Run unset = run("io.tributary.offline.BackupCommand", backup);
        assertThat(unset.exit()).as(unset.err()).isEqualTo(2);
        assertThat(unset.out()).isEmpty();
        assertThat(unset.err()).startsWith("tributary backup: environment variable " + UNSET
                + " (given by --source-jdbc-password-env) is not set");
        Run empty = run(Map.of(UNSET, ""), "io.tributary.offline.BackupCommand", backup);
        assertThat(empty.exit()).as("set but empty: an empty password. %s", empty.err()).isZero();

        String[][] everyPasswordOption = {
            {"io.tributary.offline.BackupCommand", "backup", "source-jdbc-password-env"},
            {"io.tributary.offline.BackupCommand", "backup", "central-jdbc-password-env"},
            {"io.tributary.offline.BackupCommand", "backup", "source-password-env"},
            {"io.tributary.offline.RestoreCommand", "restore", "target-jdbc-password-env"},
            {"io.tributary.transfer.TransferCommand", "transfer", "password-env"},
            {"io.tributary.sync.SyncCommand", "sync", "source-password-env"},
            {"io.tributary.sync.SyncCommand", "sync", "source-jdbc-password-env"},
            {"io.tributary.sync.SyncCommand", "sync", "target-jdbc-password-env"},
            {"io.tributary.verify.VerifyCommand", "verify", "jdbc-password-env"},
            {"io.tributary.verify.VerifyCommand", "verify", "central-password-env"},
            {"io.tributary.twoway.TwoWayCommand", "two-way", "a-jdbc-password-env"},
            {"io.tributary.twoway.TwoWayCommand", "two-way", "b-jdbc-password-env"},
            {"io.tributary.twoway.TwoWayCommand", "two-way", "central-jdbc-password-env"}};
        for (String[] tool : everyPasswordOption) {
            Run r = run(tool[0], "--" + tool[2], UNSET);
            assertThat(r.exit()).as("%s --%s: %s", tool[1], tool[2], r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("tributary " + tool[1] + ": environment variable " + UNSET + " (given by --"
                    + tool[2] + ") is not set");
        }
    }

    @Test
    void syncUsageErrorsExitTwoAndNameTheProblem() throws Exception {
        Run noSource = run("io.tributary.sync.SyncCommand", "--target-jdbc-url", h2("central"),
                "--target-collection", "items");
        assertThat(noSource.exit()).isEqualTo(2);
        assertThat(noSource.out()).isEmpty();
        assertThat(noSource.err()).contains("tributary sync: a source is required").contains("usage:");

        Run badNumber = run("io.tributary.sync.SyncCommand", "--source-url", "http://127.0.0.1:1",
                "--source-collection", "items", "--target-jdbc-url", h2("central"), "--target-collection", "items",
                "--max-wait-seconds", "abc");
        assertThat(badNumber.exit()).isEqualTo(2);
        assertThat(badNumber.out()).isEmpty();
        assertThat(badNumber.err()).contains("--max-wait-seconds must be a number, not 'abc'");

        Run misspelled = run("io.tributary.sync.SyncCommand", "--target-jdbc-url", h2("central"),
                "--target-colection", "items");
        assertThat(misspelled.exit()).isEqualTo(2);
        assertThat(misspelled.err()).contains("unknown or incomplete argument '--target-colection'");
    }

    @Test
    void verifyExitsTwoOnUsageAndThreeWhenItCannotRun() throws Exception {
        Run usage = run("io.tributary.verify.VerifyCommand", "--source-id", "s", "--jdbc-url", h2("source"),
                "--key-column", "id", "--collection", "items", "--max-wait-seconds", "soon");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.out()).isEmpty();
        assertThat(usage.err()).contains("tributary verify: --table is required");

        Run unreachable = run("io.tributary.verify.VerifyCommand", "--source-id", "s", "--jdbc-url", h2("source"),
                "--jdbc-user", "sa", "--table", "items", "--key-column", "id", "--collection", "items",
                "--central-url", "http://127.0.0.1:1");
        assertThat(unreachable.exit()).as(unreachable.err()).isEqualTo(3);
        assertThat(unreachable.out()).isEmpty();
        assertThat(unreachable.err()).contains("tributary verify failed:");
    }
}
