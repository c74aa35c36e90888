package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.tributary.json.Json;
import io.tributary.offline.SourceIdentity;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backup of another node's collection (docs/offline.md, source {url, database, collection, username,
 * password}): two nodes whose central stores are on {@link #dialect()} and which share one backup directory.
 * The backing-up node reads a selection of the source node's collection over its plan and partition requests
 * and writes the partition files here; the backup is then checked file by file against its manifest,
 * restored into a collection of the backing-up node, and refused onto the source collection itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RemoteBackupContract {

    private static final List<String> DAYS = SyncNode.TRADE_DAYS;
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String OFFLINE_ROUTES = "file:routes/offline.camel.yaml";

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    abstract Dialect dialect();

    private Path directory;
    private SyncNode source;
    private SyncNode node;
    /** A port nothing listens on, listed as a peer: an unreachable source. */
    private final int deadPort = TributaryApp.freePort();
    /** The port of a fake source whose partition answer ends early. */
    private final int cutPort = TributaryApp.freePort();

    @BeforeAll
    void startNodes() throws IOException {
        directory = Files.createTempDirectory("tributary-remote-backup");
        Map<String, String> backups = Map.of("tributary.backup.directory", directory.toString());
        source = new SyncNode(dialect(), "rbsrc", "pw-backup-source", backups, OFFLINE_ROUTES);
        Map<String, String> withPeers = new TreeMap<>(backups);
        withPeers.put(SyncNode.PEERS, source.url() + ",http://127.0.0.1:" + deadPort + ",http://127.0.0.1:" + cutPort);
        node = new SyncNode(dialect(), "rbnode", "pw-backup-node", withPeers, OFFLINE_ROUTES);
    }

    @AfterAll
    void stopNodes() throws IOException {
        SyncNode.closeAll(source, node);
        try (Stream<Path> all = Files.walk(directory)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A source collection of 20 trades a day over four days, half of them "eu"; its name. */
    private String sourceCollection(Random random) {
        String collection = "trades" + NAMES.incrementAndGet();
        source.loadTrades(collection, random);
        return collection;
    }

    private String backupSpec(String url, String collection, String password, String name, String options) {
        return "{\"source\":{\"url\":\"" + url + "\",\"collection\":\"" + collection + "\",\"username\":\"" + SyncNode.USER
                + "\",\"password\":\"" + password + "\"},\"name\":\"" + name + "\"" + (options.isEmpty() ? "" : "," + options) + "}";
    }

    private JsonNode backup(String url, String collection, String password, String name, String options) {
        var r = node.client().post("/api/backups?wait=true", backupSpec(url, collection, password, name, options));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode restore(SyncNode on, String name, String collection) {
        var r = on.client().post("/api/restores?wait=true", "{\"name\":\"" + name + "\",\"target\":{\"collection\":\""
                + collection + "\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The source's documents {@code selected} takes, with only {@code attributes} (all: null) and their version. */
    private Map<String, JsonNode> expected(String collection, Predicate<Map.Entry<String, JsonNode>> selected,
                                           List<String> attributes) {
        Map<String, JsonNode> docs = new TreeMap<>();
        source.documents(collection).entrySet().stream().filter(selected).forEach(e -> {
            ObjectNode doc = (ObjectNode) e.getValue();
            if (attributes != null) {
                List<String> kept = new ArrayList<>(attributes);
                kept.add("_version");
                doc.retain(kept);
            }
            docs.put(e.getKey(), doc);
        });
        return docs;
    }

    private static final String DAY_SELECTION = "\"filter\":{\"keyFrom\":\"t0011\",\"attribute\":\"ts\","
            + "\"from\":\"2026-11-28\",\"to\":\"2026-12-01\"},\"columns\":[\"ts\",\"amount\"],"
            + "\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}";

    private static boolean inDaySelection(Map.Entry<String, JsonNode> e) {
        return e.getKey().compareTo("t0011") >= 0 && e.getValue().path("ts").asText().compareTo("2026-11-28") >= 0;
    }

    @Test
    void backsUpASelectionByDayOfAnotherNodesCollectionAndRestoresIt() throws IOException {
        String collection = sourceCollection(seed.random());
        String name = "remote-days-" + NAMES.incrementAndGet();
        JsonNode job = backup(source.url(), collection, source.password, name, DAY_SELECTION + ",\"compression\":\"gzip\"");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.toString()).doesNotContain(source.password);
        assertThat(job.at("/source/url").asText()).isEqualTo(source.url());
        assertThat(job.at("/source/username").asText()).isEqualTo(SyncNode.USER);
        JsonNode result = job.path("result");
        assertThat(result.path("partitions").findValuesAsText("name")).containsExactly("2026-11-28", "2026-11-29", "2026-11-30");
        assertThat(result.path("partitions").findValuesAsText("rows")).containsExactly("20", "20", "20");

        Path dir = directory.resolve(name);
        String manifestText = Files.readString(dir.resolve("manifest.json"));
        assertThat(manifestText).doesNotContain(source.password);
        JsonNode manifest = Json.MAPPER.readTree(manifestText);
        assertThat(manifest.path("source")).isEqualTo(Json.MAPPER.createObjectNode().put("kind", "collection")
                .put("url", source.url()).put("database", "_system").put("collection", collection)
                .put("identity", SourceIdentity.ofCollection(source.db.dataSource(), "_system", collection))
                .set("attributes", Json.MAPPER.createArrayNode().add("ts").add("amount")));
        assertThat(manifest.path("filter")).isEqualTo(Json.MAPPER.readTree("{\"keyFrom\":\"t0011\",\"keyTo\":null,\"attribute\":\"ts\","
                + "\"from\":\"2026-11-28\",\"to\":\"2026-12-01\"}"));
        assertThat(manifest.path("keyColumn").asText()).isEqualTo("_key");
        assertThat(manifest.path("partitioning")).isEqualTo(Json.MAPPER.readTree("{\"by\":\"day\",\"column\":\"ts\"}"));

        // each file as the manifest lists it: size, SHA-256, rows; together they are the selection
        Map<String, JsonNode> expected = expected(collection, RemoteBackupContract::inDaySelection, List.of("ts", "amount"));
        assertThat(expected).hasSize(60);
        Map<String, JsonNode> inFiles = new TreeMap<>();
        for (JsonNode p : manifest.path("partitions")) {
            Path file = dir.resolve(p.path("file").asText());
            byte[] bytes = Files.readAllBytes(file);
            assertThat(bytes.length).as(p.toString()).isEqualTo(p.path("bytes").asLong());
            assertThat(HexFormat.of().formatHex(sha256(bytes))).isEqualTo(p.path("sha256").asText());
            List<String> lines = lines(file);
            assertThat(lines).hasSize(p.path("rows").asInt());
            String day = p.path("name").asText();
            for (String line : lines) {
                ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(line);
                assertThat(doc.path("ts").asText()).startsWith(day);
                inFiles.put(doc.remove("_key").asText(), doc);
            }
        }
        assertThat(inFiles).isEqualTo(expected);

        String into = "restored" + NAMES.incrementAndGet();
        JsonNode restored = restore(node, name, into);
        assertThat(restored.path("status").asText()).as(restored.toString()).isEqualTo("succeeded");
        assertThat(node.documents(into)).isEqualTo(expected);
    }

    @Test
    void backsUpWholeDocumentsByKeysAndTheRestoreHasTheSourcesContent() {
        String collection = "big" + NAMES.incrementAndGet();
        // about 300 kB: each partition's answer is streamed in several chunks
        source.load(collection, SyncNode.docs(0, 2500, "x".repeat(60)));
        String name = "remote-keys-" + NAMES.incrementAndGet();
        JsonNode job = backup(source.url(), collection, source.password, name,
                "\"partitionBy\":{\"by\":\"keys\",\"rowsPerPartition\":1000}");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/result/partitions").findValuesAsText("name")).containsExactly("keys-000001", "keys-000002",
                "keys-000003");
        assertThat(job.at("/result/partitions").findValuesAsText("rows")).containsExactly("1000", "1000", "500");

        String into = "restoredkeys" + NAMES.incrementAndGet();
        JsonNode restored = restore(node, name, into);
        assertThat(restored.path("status").asText()).as(restored.toString()).isEqualTo("succeeded");
        assertThat(node.content(into)).isEqualTo(source.content(collection));
        assertThat(node.documents(into)).isEqualTo(source.documents(collection));
    }

    @Test
    void theCommandLineBacksUpASelectionOfANodesCollection() throws Exception {
        String collection = sourceCollection(seed.random());
        String name = "remote-cli-" + NAMES.incrementAndGet();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", TributaryProcess.productClasspath(), "io.tributary.offline.BackupCommand", "--directory",
                directory.toString(), "--name", name, "--source-url", source.url(), "--source-user", SyncNode.USER,
                "--source-password-env", "SRC_PW", "--source-collection", collection, "--key-from", "t0021", "--key-to",
                "t0060", "--columns", "region,note", "--partition-by", "value:region"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().put("SRC_PW", source.password);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor()).as(new String(err, StandardCharsets.UTF_8)).isZero();
        String printed = new String(out, StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain(source.password);
        JsonNode job = Json.MAPPER.readTree(printed);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.at("/result/partitions").findValuesAsText("name")).containsExactly("eu", "us");
        assertThat(job.at("/result/partitions").findValuesAsText("rows")).containsExactly("20", "20");

        String into = "restoredcli" + NAMES.incrementAndGet();
        JsonNode restored = restore(node, name, into);
        assertThat(restored.path("status").asText()).as(restored.toString()).isEqualTo("succeeded");
        assertThat(node.documents(into)).isEqualTo(expected(collection,
                e -> e.getKey().compareTo("t0021") >= 0 && e.getKey().compareTo("t0060") <= 0, List.of("region", "note")));
    }

    @Test
    void theBackupIsNotRestoredOntoItsSourceCollectionOnTheSourceNode() {
        String collection = sourceCollection(seed.random());
        String name = "remote-own-" + NAMES.incrementAndGet();
        JsonNode job = backup(source.url(), collection, source.password, name, DAY_SELECTION);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Map<String, JsonNode> before = source.documents(collection);

        var r = source.client().post("/api/restores?wait=true", "{\"name\":\"" + name + "\",\"target\":{\"collection\":\""
                + collection + "\"},\"force\":true}");
        assertThat(r.body()).contains("refused: the restore target "
                + SourceIdentity.ofCollection(source.db.dataSource(), "_system", collection) + " is the source of backup '"
                + name + "'; restore into another table or collection");
        assertThat(source.documents(collection)).isEqualTo(before);

        // another collection of the source node is no source of it
        String into = "copyofown" + NAMES.incrementAndGet();
        JsonNode elsewhere = restore(source, name, into);
        assertThat(elsewhere.path("status").asText()).as(elsewhere.toString()).isEqualTo("succeeded");
        assertThat(source.documents(into)).hasSize(60);
    }

    @Test
    void aWrongPasswordFailsTheBackupAndLeavesNoBackup() {
        String collection = sourceCollection(seed.random());
        String name = "remote-refused-" + NAMES.incrementAndGet();
        JsonNode job = backup(source.url(), collection, "not-the-password", name, DAY_SELECTION);
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText()).isEqualTo("Source " + source.url() + " answered HTTP 401: credentials"
                + " refused (check the source username and password)");
        assertThat(job.toString()).doesNotContain("not-the-password");
        assertNoBackup(name);
    }

    @Test
    void anUnreachableNodeFailsTheBackupAndLeavesNoBackup() {
        String name = "remote-unreachable-" + NAMES.incrementAndGet();
        JsonNode job = backup("http://127.0.0.1:" + deadPort, "trades", source.password, name, DAY_SELECTION);
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText()).isEqualTo("Source http://127.0.0.1:" + deadPort
                + " cannot be reached (connection failed)");
        assertNoBackup(name);
    }

    @Test
    void aPartitionCutShortFailsTheBackupAndLeavesNoBackup() throws IOException {
        // a source planning two partitions; the first comes whole, the second stops before its closing line
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", cutPort), 0);
        fake.createContext("/", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String body = exchange.getRequestURI().getPath().endsWith("/plan")
                    ? "{\"error\":false,\"partitions\":[{\"name\":\"eu\",\"bounds\":{\"column\":\"region\",\"value\":\"eu\"},"
                    + "\"rows\":1},{\"name\":\"us\",\"bounds\":{\"column\":\"region\",\"value\":\"us\"},\"rows\":2}]}"
                    : request.contains("\"name\":\"eu\"") ? "{\"_key\":\"a\",\"region\":\"eu\"}\n{\"end\":true,\"rows\":1}\n"
                    : "{\"_key\":\"b\",\"region\":\"us\"}\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        fake.start();
        try {
            String name = "remote-cut-" + NAMES.incrementAndGet();
            JsonNode job = backup("http://127.0.0.1:" + cutPort, "trades", "pw", name,
                    "\"partitionBy\":{\"by\":\"value\",\"column\":\"region\"}");
            assertThat(job.path("status").asText()).isEqualTo("failed");
            assertThat(job.path("error").asText()).isEqualTo("Source http://127.0.0.1:" + cutPort + " ended partition"
                    + " 'us' before its end (the source failed, or the connection broke); nothing of the partition was written");
            assertNoBackup(name);
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void badSourcesAreRefusedNamingTheField() {
        var notPeer = node.client().post("/api/backups?wait=true",
                backupSpec("http://127.0.0.1:1", "trades", "pw", "np", ""));
        assertThat(notPeer.status()).isEqualTo(403);
        assertThat(notPeer.json().path("errorMessage").asText()).isEqualTo("source.url 'http://127.0.0.1:1' is not a"
                + " configured peer node: add it to tributary.sync.peers (comma-separated URLs, e.g. http://node-b:8529)");

        var withCredentials = node.client().post("/api/backups?wait=true",
                backupSpec("http://u:p@127.0.0.1:1", "trades", "pw", "wc", ""));
        assertThat(withCredentials.status()).isEqualTo(400);
        assertThat(withCredentials.json().path("errorMessage").asText()).isEqualTo("'source.url' must be an http(s) URL"
                + " of a Tributary node, e.g. http://host:8529, without credentials (give source.username and source.password)");

        var passwordHere = node.client().post("/api/backups?wait=true",
                "{\"source\":{\"collection\":\"trades\",\"password\":\"pw\"}}");
        assertThat(passwordHere.status()).isEqualTo(400);
        assertThat(passwordHere.json().path("errorMessage").asText()).isEqualTo("'source.username' and 'source.password'"
                + " go with 'source.url' (another node's collection); a collection of this node needs none");

        var where = node.client().post("/api/backups?wait=true", backupSpec(source.url(), "trades", source.password, "w",
                "\"filter\":{\"where\":\"region = 'eu'\"}"));
        assertThat(where.status()).isEqualTo(400);
        assertThat(where.json().path("errorMessage").asText()).isEqualTo("unknown field 'filter.where'");

        JsonNode unknown = backup(source.url(), sourceCollection(seed.random()), source.password, "nosuch"
                + NAMES.incrementAndGet(), "\"partitionBy\":{\"by\":\"value\",\"column\":\"nosuch\"}");
        assertThat(unknown.path("status").asText()).isEqualTo("failed");
        assertThat(unknown.path("error").asText()).isEqualTo("Source " + source.url() + " refused the selection:"
                + " 'partitionBy.column' 'nosuch' is an attribute of no document in the selection");
        assertNoBackup(unknown.at("/name").asText());

        var listed = node.client().get("/api/backups");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(source.password).doesNotContain("not-the-password");
    }

    private void assertNoBackup(String name) {
        assertThat(directory.resolve(name)).doesNotExist();
        assertThat(directory.resolve("." + name + ".partial")).doesNotExist();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(Path gzipped) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gzipped)),
                StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
