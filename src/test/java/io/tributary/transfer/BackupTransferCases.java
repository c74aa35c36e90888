package io.tributary.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.CapturedLogs;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transfer route template ({@code routes/backup-transfer-template.camel.yaml}) run by the real app,
 * against one kind of destination: what a first run, a re-run, a changed partition and an interrupted
 * run send, and what the destination then holds, byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackupTransferCases {

    @RegisterExtension
    final TestSeed seed = new TestSeed();
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    protected Path work;
    protected Path backups;
    private TestDatabase db;
    private TributaryApp app;
    private ProducerTemplate producer;

    /** Starts the destination (server) and returns the templatedRoute parameters beyond trigger and backupDirectory. */
    protected abstract Map<String, String> startDestination() throws Exception;

    /** The local directory where the destination's files land ({@code <destination directory>}). */
    protected abstract Path landed();

    /** More templatedRoute entries (YAML) for tests of one destination kind. */
    protected String moreRoutes() {
        return "";
    }

    protected void stopDestination() {
    }

    /** Settings of the app beyond the database and port. */
    protected Map<String, String> appProperties() {
        return Map.of();
    }

    protected TributaryApp app() {
        return app;
    }

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("tributary-transfer-");
        backups = Files.createDirectories(work.resolve("backups"));
        Map<String, String> parameters = startDestination();
        Path routes = Files.createDirectories(work.resolve("routes"));
        Files.writeString(routes.resolve("transfers.camel.yaml"), templatedRoute("transfer", parameters) + moreRoutes());
        db = TestDatabase.create(Dialect.H2, getClass().getSimpleName());
        app = TributaryApp.builder().properties(db.beanProperties("centralDb"))
                .property("camel.server.port", "" + TributaryApp.freePort())
                .properties(appProperties())
                .routes("file:routes/backup-transfer-template.camel.yaml", "file:" + routes + "/*.yaml")
                .start();
        producer = app.context().createProducerTemplate();
    }

    protected String templatedRoute(String id, Map<String, String> parameters) {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: tributary-backup-transfer\n    routeId: " + id
                + "\n    parameters:\n");
        Map<String, String> all = new TreeMap<>(parameters);
        all.putIfAbsent("trigger", "direct:" + id);
        all.put("backupDirectory", backups.toString());
        all.forEach((k, v) -> yaml.append("      - { name: ").append(k).append(", value: \"").append(v).append("\" }\n"));
        return yaml.toString();
    }

    @AfterAll
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
        stopDestination();
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    protected TransferReport transfer(String route, String name) {
        return producer.requestBodyAndHeader("direct:" + route, null, BackupTransfer.NAME_HEADER, name, TransferReport.class);
    }

    /** The message of the transfer's failure, as the caller of the direct: entry gets it. */
    protected String failure(String route, String name) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> transfer(route, name)).satisfies(t -> thrown[0] = t);
        for (Throwable c = thrown[0]; c != null; c = c.getCause()) {
            if (c instanceof TransferException) {
                return c.getMessage();
            }
        }
        throw new AssertionError("no TransferException in " + thrown[0], thrown[0]);
    }

    private static final List<String> ALL = List.of("partitions/p-000001.jsonl.gz", "partitions/p-000002.jsonl.gz",
            "partitions/p-000003.jsonl.gz", "manifest.json");

    @Test
    void firstRunSendsEverythingManifestLastAndARerunSendsNothing() {
        TestBackup.write(backups, "first", 3, seed.random());

        TransferReport first = transfer("transfer", "first");
        assertThat(first.sent()).containsExactlyElementsOf(ALL);
        assertThat(first.skipped()).isEmpty();
        assertThat(first.bytes()).isEqualTo(sizes("first"));
        assertThat(Json.MAPPER.valueToTree(first).fieldNames()).toIterable()
                .containsExactly("backup", "destination", "sent", "skipped", "bytes");
        assertSameFiles("first");

        TransferReport again = transfer("transfer", "first");
        assertThat(again.sent()).isEmpty();
        assertThat(again.skipped()).containsExactlyElementsOf(ALL);
        assertThat(again.bytes()).isZero();
        assertSameFiles("first");
        assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("transfer: backup first to ").contains("sent 0 files (0 bytes), skipped 4 (already there)"));
    }

    @Test
    void aChangedPartitionSendsOnlyItAndTheManifest() {
        TestBackup.write(backups, "changed", 3, seed.random());
        transfer("transfer", "changed");
        TestBackup.rewritePartition(backups, "changed", 2, seed.random());

        assertRun("transfer", "changed", List.of("partitions/p-000002.jsonl.gz", "manifest.json"),
                List.of("partitions/p-000001.jsonl.gz", "partitions/p-000003.jsonl.gz"));
    }

    @Test
    void aTransferMissingFilesAndLeavingATemporaryFileResumes() throws IOException {
        TestBackup.write(backups, "resumed", 3, seed.random());
        transfer("transfer", "resumed");
        // what an interrupted run leaves: no manifest, a partition missing, its half-written temporary file
        Path there = landed().resolve("resumed");
        Files.delete(there.resolve("manifest.json"));
        Files.delete(there.resolve("partitions/p-000003.jsonl.gz"));
        Files.write(there.resolve("partitions/.part-p-000003.jsonl.gz"), new byte[] {31, -117, 8});

        assertRun("transfer", "resumed", List.of("partitions/p-000003.jsonl.gz", "manifest.json"),
                List.of("partitions/p-000001.jsonl.gz", "partitions/p-000002.jsonl.gz"));
    }

    @Test
    void aCorruptLocalBackupIsNotSentAndTheErrorNamesTheFile() throws IOException {
        TestBackup.write(backups, "corrupt", 2, seed.random());
        Path p2 = TestBackup.partition(backups, "corrupt", 2);
        byte[] bytes = Files.readAllBytes(p2);
        bytes[bytes.length / 2] ^= 1;
        Files.write(p2, bytes);

        assertThat(failure("transfer", "corrupt"))
                .isEqualTo("backup corrupt is not sent: the SHA-256 of partitions/p-000002.jsonl.gz differs from the manifest's");
        assertThat(landed().resolve("corrupt")).doesNotExist();

        Files.write(p2, Arrays.copyOf(bytes, 10));
        assertThat(failure("transfer", "corrupt")).startsWith("backup corrupt is not sent: partitions/p-000002.jsonl.gz has 10 bytes, the manifest says ");
    }

    @Test
    void aMissingOrUnfinishedBackupIsNamed() throws IOException {
        assertThat(failure("transfer", "nosuch")).isEqualTo("no complete backup nosuch in " + backups + " (no nosuch/manifest.json)");
        Files.createDirectories(backups.resolve(".busy.partial/partitions"));
        assertThat(failure("transfer", "busy")).isEqualTo("no complete backup busy in " + backups
                + " (it is still being written: .busy.partial)");
        assertThat(failure("transfer", "../etc")).startsWith("backup name '../etc' is not a single path segment");
    }

    /** Runs a transfer, checks what it reports sent and skipped, and that the destination then holds the backup. */
    protected TransferReport assertRun(String route, String name, List<String> sent, List<String> skipped) {
        TransferReport report = transfer(route, name);
        assertThat(report.sent()).containsExactlyElementsOf(sent);
        assertThat(report.skipped()).containsExactlyElementsOf(skipped);
        assertSameFiles(name);
        return report;
    }

    /** The destination holds the backup's files, byte for byte, a sidecar per partition, and nothing else. */
    protected void assertSameFiles(String name) {
        Map<String, byte[]> source = files(backups.resolve(name));
        Map<String, byte[]> there = files(landed().resolve(name));
        assertThat(there.keySet()).containsExactlyInAnyOrderElementsOf(Stream.concat(source.keySet().stream(),
                source.keySet().stream().filter(f -> f.startsWith("partitions/")).map(f -> f + ".sha256")).toList());
        source.forEach((file, bytes) -> assertThat(there.get(file)).as(file).isEqualTo(bytes));
    }

    private long sizes(String name) {
        return files(backups.resolve(name)).values().stream().mapToLong(b -> b.length).sum();
    }

    private static Map<String, byte[]> files(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toMap(f -> dir.relativize(f).toString().replace('\\', '/'), f -> {
                try {
                    return Files.readAllBytes(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
