package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.json.Json;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestSeed;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An online copy by partition of another node's collection (docs/collection-sync.md, "Online copy by
 * partition"): two nodes whose central stores are on {@link #dialect()}, the target copying a selection of
 * the source's collection by day, by value and by keys, one partition at a time and two at once, over the
 * source's plan and partition requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RemotePartitionedSyncContract {

    private static final List<String> DAYS = SyncNode.TRADE_DAYS;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    abstract Dialect dialect();

    private SyncNode source;
    private SyncNode target;
    /** A port nothing listens on, listed as a peer of the target: an unreachable source. */
    private final int deadPort = TributaryApp.freePort();
    /** The port of a fake source whose partition answer ends early. */
    private final int cutPort = TributaryApp.freePort();

    @BeforeAll
    void startNodes() {
        source = new SyncNode(dialect(), "rpsrc", "pw-partition-source", Map.of());
        target = new SyncNode(dialect(), "rptgt", "pw-partition-target",
                Map.of(SyncNode.PEERS, source.url() + ",http://127.0.0.1:" + deadPort + ",http://127.0.0.1:" + cutPort));
    }

    @AfterAll
    void stopNodes() {
        SyncNode.closeAll(source, target);
    }

    /** A source collection of 20 trades a day over four days, half of them "eu"; its name. */
    private String sourceCollection(Random random) {
        String collection = "trades" + NAMES.incrementAndGet();
        source.loadTrades(collection, random);
        return collection;
    }

    private JsonNode copy(String collection, String into, String selection) {
        return target.syncAndWait(target.remoteSpec(source, collection, into, selection));
    }

    private static Map<String, JsonNode> documents(SyncNode node, String collection) {
        return node.documents(collection);
    }

    /** The source's documents {@code selected} takes, with only {@code attributes} (all: null). */
    private Map<String, JsonNode> expected(String collection, Predicate<Map.Entry<String, JsonNode>> selected,
                                           List<String> attributes) {
        Map<String, JsonNode> docs = new TreeMap<>();
        documents(source, collection).entrySet().stream().filter(selected).forEach(e -> {
            ObjectNode doc = (ObjectNode) e.getValue();
            if (attributes != null) {
                doc.retain(new ArrayList<>(attributes) {{
                    add("_version");
                }});
            }
            docs.put(e.getKey(), doc);
        });
        return docs;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String DAY_SELECTION = "\"filter\":{\"keyFrom\":\"t0011\",\"attribute\":\"ts\","
            + "\"from\":\"2026-11-28\",\"to\":\"2026-12-01\"},\"columns\":[\"ts\",\"amount\"],"
            + "\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"},\"parallel\":2";

    private static boolean inDaySelection(Map.Entry<String, JsonNode> e) {
        return e.getKey().compareTo("t0011") >= 0 && e.getValue().path("ts").asText().compareTo("2026-11-28") >= 0;
    }

    @Test
    void copiesTheSelectionByDayTwoAtOnceThenChangesNothingThenOnlyWhatChanged() {
        String collection = sourceCollection(seed.random());
        String into = "byday" + NAMES.incrementAndGet();
        // outside every planned partition: before the filter's days, and a key before the filter's keys
        target.load(into, List.of("{\"_key\":\"t0001\",\"ts\":\"2026-11-28T01:00:00\",\"amount\":1}",
                "{\"_key\":\"x0001\",\"ts\":\"2026-11-20T10:00:00\",\"amount\":2}"));
        Map<String, JsonNode> outsiders = documents(target, into);

        JsonNode first = copy(collection, into, DAY_SELECTION);
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        Map<String, JsonNode> expected = expected(collection, RemotePartitionedSyncContract::inDaySelection,
                List.of("ts", "amount"));
        assertThat(expected).hasSize(60);
        Map<String, JsonNode> all = new TreeMap<>(expected);
        all.putAll(outsiders);
        assertThat(documents(target, into)).isEqualTo(all);
        JsonNode result = first.path("result");
        assertThat(result.path("partitioned").asBoolean()).isTrue();
        assertThat(result.findValuesAsText("name")).containsExactly("2026-11-28", "2026-11-29", "2026-11-30");
        for (JsonNode p : result.path("partitions")) {
            assertThat(p.path("rowsRead").asLong()).as(p.toString()).isEqualTo(20);
            assertThat(p.path("rowsWritten").asLong()).as(p.toString()).isEqualTo(20);
        }
        assertThat(result.path("rowsTransferred").asLong()).isEqualTo(60);
        assertThat(result.path("rowsDeleted").asLong()).isZero();
        assertThat(first.path("parallel").asInt()).isEqualTo(2);

        JsonNode second = copy(collection, into, DAY_SELECTION).path("result");
        assertThat(second.path("rowsTransferred").asLong()).as(second.toString()).isZero();
        assertThat(second.path("rowsDeleted").asLong()).isZero();
        assertThat(second.path("rowsUnchanged").asLong()).isEqualTo(60);
        assertThat(documents(target, into)).isEqualTo(all);

        // on the 29th (t0041..t0060): one amount changes, one document is deleted, one note changes (not copied)
        source.load(collection, List.of("{\"_key\":\"t0041\",\"ts\":\"2026-11-29T00:10:00\",\"region\":\"eu\","
                + "\"amount\":4242.42,\"note\":\"n41\"}"));
        var deleted = source.client().method("DELETE", "/_api/document/" + collection + "/t0042");
        assertThat(deleted.status()).as(deleted.body()).isBetween(200, 202);
        JsonNode third = copy(collection, into, DAY_SELECTION).path("result");
        Map<String, JsonNode> changed = new TreeMap<>(expected(collection, RemotePartitionedSyncContract::inDaySelection,
                List.of("ts", "amount")));
        assertThat(changed).hasSize(59);
        assertThat(changed.get("t0041").path("amount").asText()).isEqualTo("4242.42");
        changed.putAll(outsiders);
        assertThat(documents(target, into)).isEqualTo(changed);
        JsonNode day29 = third.path("partitions").get(1);
        assertThat(day29.path("name").asText()).isEqualTo("2026-11-29");
        assertThat(day29.path("rowsRead").asLong()).as(third.toString()).isEqualTo(19);
        assertThat(day29.path("rowsWritten").asLong()).isEqualTo(1);
        assertThat(day29.path("rowsDeleted").asLong()).isEqualTo(1);
        assertThat(day29.path("rowsUnchanged").asLong()).isEqualTo(18);
        assertThat(third.path("rowsTransferred").asLong()).isEqualTo(1);
    }

    @Test
    void aDayIsTheIsoDateATextStartsWithWhateverFollows() {
        String collection = "days" + NAMES.incrementAndGet();
        source.load(collection, List.of("{\"_key\":\"d1\",\"ts\":\"2026-11-28 10:00:00\"}",
                "{\"_key\":\"d2\",\"ts\":\"2026-11-28\"}", "{\"_key\":\"d3\",\"ts\":\"2026-11-29T01:00:00+01:00\"}",
                "{\"_key\":\"d4\",\"ts\":\"2026-11-29T23:59:59.999Z\"}"));
        String into = "days" + NAMES.incrementAndGet();
        JsonNode job = copy(collection, into, "\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode partitions = job.at("/result/partitions");
        assertThat(partitions.findValuesAsText("name")).containsExactly("2026-11-28", "2026-11-29");
        assertThat(partitions.get(0).path("rowsWritten").asLong()).isEqualTo(2);
        assertThat(partitions.get(1).path("rowsWritten").asLong()).isEqualTo(2);
        assertThat(documents(target, into)).isEqualTo(documents(source, collection));
    }

    @Test
    void copiesByValueOneAtATime() {
        String collection = sourceCollection(seed.random());
        String into = "byvalue" + NAMES.incrementAndGet();
        JsonNode job = copy(collection, into, "\"filter\":{\"keyFrom\":\"t0021\",\"keyTo\":\"t0060\"},"
                + "\"columns\":[\"region\",\"note\"],\"partitionBy\":{\"by\":\"value\",\"column\":\"region\"}");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Map<String, JsonNode> expected = expected(collection,
                e -> e.getKey().compareTo("t0021") >= 0 && e.getKey().compareTo("t0060") <= 0, List.of("region", "note"));
        assertThat(expected).hasSize(40);
        assertThat(documents(target, into)).isEqualTo(expected);
        JsonNode result = job.path("result");
        assertThat(result.findValuesAsText("name")).containsExactly("eu", "us");
        assertThat(result.path("partitions").get(0).path("rowsWritten").asLong()).isEqualTo(20);
        assertThat(result.path("partitions").get(1).path("rowsWritten").asLong()).isEqualTo(20);
        assertThat(job.path("parallel").asInt()).isEqualTo(1);
    }

    /** The number 1, the number 1.0, the text "1" and a missing value: each document is read into one partition only. */
    @Test
    void valuesThatPrintAlikeAreCopiedOnceEach() {
        String collection = "alike" + NAMES.incrementAndGet();
        source.load(collection, List.of("{\"_key\":\"a\",\"v\":1}", "{\"_key\":\"b\",\"v\":\"1\"}",
                "{\"_key\":\"c\",\"v\":\"1\"}", "{\"_key\":\"d\"}", "{\"_key\":\"e\",\"v\":1.0}",
                "{\"_key\":\"f\",\"v\":\"null\"}", "{\"_key\":\"g\",\"v\":null}"));
        String into = "alike" + NAMES.incrementAndGet();
        JsonNode job = copy(collection, into, "\"partitionBy\":{\"by\":\"value\",\"column\":\"v\"}");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        Map<String, Long> read = new TreeMap<>();
        job.at("/result/partitions").forEach(p -> read.put(p.path("name").asText(), p.path("rowsRead").asLong()));
        // missing and null first: "null"; then by JSON text, "1" (the text) before 1 and 1.0 (one number)
        assertThat(read).isEqualTo(Map.of("null", 2L, "1", 2L, "1~2", 2L, "null~2", 1L));
        assertThat(job.at("/result/rowsRead").asLong()).as(job.toString()).isEqualTo(7);
        assertThat(documents(target, into)).isEqualTo(documents(source, collection));
    }

    @Test
    void anAttributeNoDocumentHasIsRefusedAsAColumn() {
        String collection = sourceCollection(seed.random());
        JsonNode job = copy(collection, "typo" + NAMES.incrementAndGet(), "\"columns\":[\"region\",\"nte\"]");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
        assertThat(job.path("error").asText()).contains("'columns' names [nte], which no document in the selection has");
    }

    @Test
    void theCommandLineCopiesASelectionOfANodesCollection() {
        String collection = sourceCollection(seed.random());
        String into = "cli" + NAMES.incrementAndGet();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = SyncCommand.run(new String[] {"--source-url", source.url(), "--source-collection", collection,
                "--source-user", SyncNode.USER, "--source-password-env", "SRC_PW", "--target-jdbc-url", target.db.jdbcUrl(),
                "--target-jdbc-user", target.db.user(), "--target-collection", into, "--key-from", "t0021", "--key-to", "t0060",
                "--columns", "region,note", "--partition-by", "value:region", "--parallel", "2"},
                Map.of("SRC_PW", source.password), new java.io.PrintStream(out), new java.io.PrintStream(err));
        assertThat(code).as(err.toString()).isZero();
        JsonNode result = json(out.toString()).path("result");
        assertThat(result.findValuesAsText("name")).containsExactly("eu", "us");
        assertThat(result.path("rowsTransferred").asLong()).isEqualTo(40);
        assertThat(documents(target, into)).isEqualTo(expected(collection,
                e -> e.getKey().compareTo("t0021") >= 0 && e.getKey().compareTo("t0060") <= 0, List.of("region", "note")));
    }

    @Test
    void copiesByKeysWholeDocumentsAsTheSourceHasThem() {
        String collection = "big" + NAMES.incrementAndGet();
        // about 300 kB: each partition's answer is streamed in several chunks
        source.load(collection, SyncNode.docs(0, 2500, "x".repeat(60)));
        String into = "bykeys" + NAMES.incrementAndGet();
        JsonNode job = copy(collection, into, "\"partitionBy\":{\"by\":\"keys\",\"rowsPerPartition\":1000},\"parallel\":2");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(target.content(into)).isEqualTo(source.content(collection));
        JsonNode result = job.path("result");
        assertThat(result.findValuesAsText("name")).containsExactly("keys-000001", "keys-000002", "keys-000003");
        assertThat(result.path("partitions").get(2).path("rowsWritten").asLong()).isEqualTo(500);
        assertThat(copy(collection, into, "\"partitionBy\":{\"by\":\"keys\",\"rowsPerPartition\":1000}")
                .at("/result/rowsUnchanged").asLong()).isEqualTo(2500);
    }

    @Test
    void aWrongPasswordFailsTheJobWithoutTouchingTheTarget() {
        String collection = sourceCollection(seed.random());
        String into = "refused" + NAMES.incrementAndGet();
        JsonNode job = target.syncAndWait(target.remoteSpec(source, collection, into, DAY_SELECTION)
                .replace(source.password, "not-the-password"));
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText()).isEqualTo("Source " + source.url() + " answered HTTP 401: credentials"
                + " refused (check the source username and password)");
        assertThat(documents(target, into)).isEmpty();
    }

    @Test
    void anUnreachableSourceFailsTheJobWithoutTouchingTheTarget() {
        String into = "unreachable" + NAMES.incrementAndGet();
        JsonNode job = target.syncAndWait(target.remoteSpec(source, "trades", into, DAY_SELECTION)
                .replace(source.url(), "http://127.0.0.1:" + deadPort));
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText()).isEqualTo("Source http://127.0.0.1:" + deadPort
                + " cannot be reached (connection failed)");
        assertThat(documents(target, into)).isEmpty();
    }

    @Test
    void badFieldsAreRefusedNamingThem() {
        String collection = sourceCollection(seed.random());
        var where = target.client().post("/api/sync/jobs?wait=true", target.remoteSpec(source, collection, "bad",
                "\"filter\":{\"where\":\"region = 'eu'\"},\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}"));
        assertThat(where.status()).isEqualTo(400);
        assertThat(where.json().path("errorMessage").asText()).isEqualTo("unknown field 'filter.where'");

        var attribute = target.client().post("/api/sync/jobs?wait=true", target.remoteSpec(source, collection, "bad",
                "\"filter\":{\"attribute\":\"ts\",\"from\":\"2026-11-28\"},\"columns\":[\"amount\"]"));
        assertThat(attribute.status()).isEqualTo(400);
        assertThat(attribute.json().path("errorMessage").asText()).isEqualTo("'columns' must include the"
                + " filter.attribute 'ts': the target finds the selected documents by it");

        JsonNode unknown = copy(collection, "bad", "\"partitionBy\":{\"by\":\"value\",\"column\":\"nosuch\"}");
        assertThat(unknown.path("status").asText()).isEqualTo("failed");
        assertThat(unknown.path("error").asText()).isEqualTo("Source " + source.url() + " refused the selection:"
                + " 'partitionBy.column' 'nosuch' is an attribute of no document in the selection");

        JsonNode noDate = copy(collection, "bad", "\"partitionBy\":{\"by\":\"day\",\"column\":\"note\"}");
        assertThat(noDate.path("status").asText()).isEqualTo("failed");
        assertThat(noDate.path("error").asText()).isEqualTo("Source " + source.url() + " refused the selection:"
                + " document 't0001' has no ISO date in 'note' (\"n1\"): it belongs to no day; partition by value or keys");
        assertThat(documents(target, "bad")).isEmpty();
    }

    @Test
    void aPartitionCutShortOrStalledLeavesTheTargetAsItWas() throws Exception {
        String into = "cut" + NAMES.incrementAndGet();
        target.load(into, List.of("{\"_key\":\"a\",\"v\":1}", "{\"_key\":\"b\",\"v\":2}"));
        Map<String, JsonNode> before = documents(target, into);
        // a source planning one partition of three documents, then sending two and no closing line; asked
        // for the collection "stalled", it sends one and then nothing until the test ends
        CountDownLatch testEnd = new CountDownLatch(1);
        HttpServer fake = fakeSource(exchange -> {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            boolean plan = path.endsWith("/plan");
            boolean stalled = path.contains("/stalled/");
            byte[] body = (plan ? "{\"error\":false,\"partitions\":[{\"name\":\"all\",\"bounds\":{},\"rows\":3}]}"
                    : "{\"_key\":\"a\",\"v\":10}\n" + (stalled ? "" : "{\"_key\":\"c\",\"v\":30}\n"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, plan || !stalled ? body.length : 0);
            exchange.getResponseBody().write(body);
            exchange.getResponseBody().flush();
            if (!plan && stalled) {
                try {
                    testEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.close();
        });
        try {
            String cut = target.remoteSpec(source, "trades", into, "\"partitionBy\":{\"by\":\"none\"}")
                    .replace(source.url(), "http://127.0.0.1:" + cutPort);
            JsonNode job = target.syncAndWait(cut);
            assertThat(job.path("status").asText()).isEqualTo("failed");
            assertThat(job.path("error").asText()).isEqualTo("Source http://127.0.0.1:" + cutPort + " ended partition"
                    + " 'all' before its end (the source failed, or the connection broke); nothing of the partition was written");
            assertThat(documents(target, into)).isEqualTo(before);

            // the job's time limit ends the wait for a source that stopped sending
            JsonNode stalled = target.syncAndWait(cut.replace("\"trades\"", "\"stalled\"").replace("\"partitionBy\"",
                    "\"maxWaitSeconds\":2,\"partitionBy\""));
            assertThat(stalled.path("status").asText()).isEqualTo("failed");
            assertThat(stalled.path("error").asText()).isEqualTo("timed out: the job did not finish within maxWaitSeconds=2"
                    + " (raise maxWaitSeconds, or narrow the filter, or copy more partitions at once with parallel)");
            assertThat(documents(target, into)).isEqualTo(before);
        } finally {
            testEnd.countDown();
            fake.stop(0);
        }
    }

    /**
     * Two partitions at once, one cut short while the other is still on its way: the job ends once both have,
     * so its failure is the last thing it did to the target (no staging table of either is left behind).
     */
    @Test
    void aFailedPartitionEndsTheJobOnlyOnceTheOthersHaveEnded() throws Exception {
        String into = "twocut" + NAMES.incrementAndGet();
        target.load(into, List.of("{\"_key\":\"a\",\"v\":1}"));
        Map<String, JsonNode> before = documents(target, into);
        CountDownLatch cutSent = new CountDownLatch(1);
        CountDownLatch testEnd = new CountDownLatch(1);
        HttpServer fake = fakeSource(exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean plan = exchange.getRequestURI().getPath().endsWith("/plan");
            boolean slow = request.contains("\"name\":\"slow\"");
            byte[] body = (plan ? "{\"error\":false,\"partitions\":[{\"name\":\"cut\",\"bounds\":{},\"rows\":2},"
                    + "{\"name\":\"slow\",\"bounds\":{},\"rows\":2}]}" : "{\"_key\":\"b\",\"v\":2}\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, plan || !slow ? body.length : 0);
            exchange.getResponseBody().write(body);
            exchange.getResponseBody().flush();
            try {
                if (slow) {
                    // open while the other is cut short, and after: until the test ends, or 3 s if the copy
                    // never stops reading it
                    cutSent.await();
                    testEnd.await(3, TimeUnit.SECONDS);
                } else if (!plan) {
                    cutSent.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        try {
            JsonNode job = target.syncAndWait(target.remoteSpec(source, "trades", into,
                    "\"partitionBy\":{\"by\":\"none\"},\"parallel\":2").replace(source.url(), "http://127.0.0.1:" + cutPort));
            assertThat(job.path("status").asText()).isEqualTo("failed");
            assertThat(job.path("error").asText()).contains("ended partition 'cut' before its end");
            for (String area : List.of("p1", "p2")) {
                String staging = target.db.dialect().quote(JdbcCollectionStore.tableName("_system", into) + "_sync_" + area);
                assertThat(exists(staging)).as("staging table %s when the job answered", staging).isFalse();
            }
            assertThat(documents(target, into)).isEqualTo(before);
        } finally {
            testEnd.countDown();
            fake.stop(0);
        }
    }

    /** A fake source node on {@link #cutPort}, started, answering every request with {@code handler}. */
    private HttpServer fakeSource(HttpHandler handler) throws IOException {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", cutPort), 0);
        fake.setExecutor(Executors.newCachedThreadPool());
        fake.createContext("/", handler);
        fake.start();
        return fake;
    }

    private boolean exists(String table) {
        try {
            target.db.count("SELECT COUNT(*) FROM " + table);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void theSourceAnswersAPlanAndStreamsAPartitionAsDocumented() {
        String collection = sourceCollection(seed.random());
        String selection = "\"filter\":{\"keyFrom\":\"t0001\",\"keyTo\":\"t0004\"},\"columns\":[\"region\"],"
                + "\"partitionBy\":{\"by\":\"value\",\"column\":\"region\"}";
        var plan = source.client().post("/_api/tributary/sync/" + collection + "/plan", "{" + selection + "}");
        assertThat(plan.status()).as(plan.body()).isEqualTo(200);
        // the collection as a backup on the source node would name it
        String identity = io.tributary.offline.SourceIdentity.ofCollection(source.db.dataSource(), "_system", collection);
        assertThat(plan.body()).isEqualTo("{\"error\":false,\"partitions\":[{\"name\":\"eu\",\"bounds\":{\"column\":"
                + "\"region\",\"value\":\"eu\"},\"rows\":2},{\"name\":\"us\",\"bounds\":{\"column\":\"region\","
                + "\"value\":\"us\"},\"rows\":2}],\"identity\":" + Json.MAPPER.valueToTree(identity) + "}");

        var eu = source.client().post("/_api/tributary/sync/" + collection + "/partition", "{" + selection
                + ",\"partition\":{\"name\":\"eu\",\"bounds\":{\"column\":\"region\",\"value\":\"eu\"},\"rows\":2}}");
        assertThat(eu.status()).as(eu.body()).isEqualTo(200);
        assertThat(eu.body()).isEqualTo("{\"_key\":\"t0001\",\"region\":\"eu\"}\n{\"_key\":\"t0003\",\"region\":\"eu\"}\n"
                + "{\"end\":true,\"rows\":2}\n");

        var other = source.client().post("/_api/tributary/sync/" + collection + "/partition", "{" + selection
                + ",\"partition\":{\"name\":\"eu\",\"bounds\":{\"column\":\"note\",\"value\":\"n1\"},\"rows\":1}}");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().path("errorMessage").asText()).isEqualTo("'partition.bounds.column' must be 'region',"
                + " the partitionBy's");

        var anonymous = new io.tributary.central.CentralClient(source.port).post("/_api/tributary/sync/" + collection
                + "/plan", "{" + selection + "}");
        assertThat(anonymous.status()).isEqualTo(401);
    }
}
