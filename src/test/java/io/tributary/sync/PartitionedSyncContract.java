package io.tributary.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.job.JobStopped;
import io.tributary.offline.OnlineCopy;
import io.tributary.offline.Selection;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TestSeed;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An online copy by partition (docs/collection-sync.md, "Online copy by partition"): a SQL table of each
 * database copied into a central collection (H2 store) with a filter, a column list and day partitions,
 * one partition after the other and three at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PartitionedSyncContract {

    private static final List<String> DAYS = List.of("2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30");
    private static final String FILTER = "ts >= '2026-11-28 00:00:00' AND region = 'eu'";
    private static final AtomicInteger NAMES = new AtomicInteger();

    @RegisterExtension
    final TestSeed seed = new TestSeed();

    abstract Dialect dialect();

    private TestDatabase source;
    private TestDatabase central;
    private CollectionStore store;

    @BeforeAll
    void createDatabases() {
        source = TestDatabase.create(dialect(), "onlinecopy");
        central = TestDatabase.create(Dialect.H2, "onlinecopycentral");
        store = CollectionStore.onJdbc(central.dataSource());
    }

    @AfterAll
    void dropDatabases() {
        if (source != null) {
            source.close();
        }
        if (central != null) {
            central.close();
        }
    }

    /** A source table of 20 rows a day over four days, half of them "eu"; its name. */
    private String sourceTable(Random random) {
        String table = "trades_" + NAMES.incrementAndGet();
        String ts = dialect() == Dialect.MARIADB ? "DATETIME" : "TIMESTAMP";
        source.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, ts " + ts + " NOT NULL, region VARCHAR(8),"
                + " amount DECIMAL(12,2), note VARCHAR(40))");
        long id = 1;
        for (String day : DAYS) {
            for (int i = 0; i < 20; i++, id++) {
                source.update("INSERT INTO " + table + " (id, ts, region, amount, note) VALUES (?, ?, ?, ?, ?)", id,
                        java.sql.Timestamp.valueOf(day + " " + String.format("%02d:%02d:00", i, random.nextInt(60))),
                        i % 2 == 0 ? "eu" : "us", new BigDecimal(random.nextInt(100_000)).movePointLeft(2), "n" + id);
            }
        }
        return table;
    }

    private SyncReport copy(String table, String collection, int parallel) {
        SyncSpec spec = SyncSpec.parse("{\"source\":{\"dataSource\":\"tradesDb\",\"table\":\"" + table + "\","
                + "\"keyColumn\":\"id\"},\"target\":{\"collection\":\"" + collection + "\"},"
                + "\"filter\":{\"where\":\"" + FILTER + "\"},\"columns\":[\"ts\",\"amount\"],"
                + "\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"},\"parallel\":" + parallel + "}");
        return new SyncTask(spec, store, name -> name.equals("tradesDb") ? source.dataSource() : null, 0, 0.5)
                .sync(new JobControl(0));
    }

    /** What the collection should hold: the selected rows of the source, selected columns only, by key. */
    private Map<String, String> expected(String table) {
        Map<String, String> rows = new TreeMap<>();
        for (Map<String, Object> r : source.query("SELECT id, ts, amount FROM " + table + " WHERE " + FILTER)) {
            String id = r.get("id").toString();
            String ts = r.get("ts").toString().replace(' ', 'T');
            ts = ts.endsWith(".0") ? ts.substring(0, ts.length() - 2) : ts;
            rows.put(id, "id=" + id + " ts=" + ts + " amount=" + new BigDecimal(r.get("amount").toString()).toPlainString());
        }
        return rows;
    }

    /** The collection's documents as {@link #expected} writes them, and any other attribute named. */
    private Map<String, String> stored(String collection) {
        Map<String, String> docs = new TreeMap<>();
        for (VersionedDocument d : store.collection("_system", collection, false).ranges().page(null, 10_000)) {
            // attributes are named as the source database reports its columns: H2 in upper case
            ObjectNode doc = Json.MAPPER.createObjectNode();
            json(d.json()).fields().forEachRemaining(f -> doc.set(f.getKey().equals("_key") ? "_key"
                    : f.getKey().toLowerCase(java.util.Locale.ROOT), f.getValue()));
            List<String> others = new ArrayList<>();
            doc.fieldNames().forEachRemaining(f -> {
                if (!List.of("_key", "id", "ts", "amount").contains(f)) {
                    others.add(f);
                }
            });
            docs.put(d.key(), "id=" + doc.path("id").asText() + " ts=" + doc.path("ts").asText() + " amount="
                    + doc.path("amount").decimalValue().toPlainString() + (others.isEmpty() ? "" : " others=" + others));
        }
        return docs;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Documents of the target outside every copied partition: an older day, and a day the filter leaves out. */
    private void putOutsiders(String collection) {
        store.collection("_system", collection, true).upsert(List.of(
                new VersionedDocument("9001", null, "{\"_key\":\"9001\",\"id\":9001,\"ts\":\"2026-11-20T10:00:00\",\"amount\":1}"),
                new VersionedDocument("9002", null, "{\"_key\":\"9002\",\"id\":9002,\"ts\":\"2026-11-27T10:00:00\",\"amount\":2}")));
    }

    private static final Map<String, String> OUTSIDERS = Map.of(
            "9001", "id=9001 ts=2026-11-20T10:00:00 amount=1", "9002", "id=9002 ts=2026-11-27T10:00:00 amount=2");

    private Map<String, String> withOutsiders(Map<String, String> rows) {
        Map<String, String> all = new TreeMap<>(rows);
        all.putAll(OUTSIDERS);
        return all;
    }

    @Test
    void copiesTheSelectionByDayThenChangesNothingThenAppliesChangesOfOnePartition() {
        runScenario(1);
    }

    @Test
    void copiesThreePartitionsAtOnceWithTheSameResult() {
        runScenario(3);
    }

    private void runScenario(int parallel) {
        String table = sourceTable(seed.random());
        String collection = "copy" + NAMES.incrementAndGet();
        putOutsiders(collection);

        SyncReport first = copy(table, collection, parallel);
        Map<String, String> expected = expected(table);
        assertThat(expected).hasSize(30); // 10 "eu" rows on each of the three days the filter keeps
        assertThat(stored(collection)).isEqualTo(withOutsiders(expected));
        ObjectNode json = first.toJson();
        assertThat(json.path("partitioned").asBoolean()).isTrue();
        assertThat(json.findValuesAsText("name")).containsExactly("2026-11-28", "2026-11-29", "2026-11-30");
        assertThat(json.path("rowsRead").asLong()).isEqualTo(30);
        assertThat(json.path("rowsTransferred").asLong()).isEqualTo(30);
        assertThat(json.path("rowsDeleted").asLong()).isZero();
        assertThat(json.path("partitions").get(1).path("rowsWritten").asLong()).isEqualTo(10);

        SyncReport second = copy(table, collection, parallel);
        assertThat(second.toJson().path("rowsTransferred").asLong()).isZero();
        assertThat(second.toJson().path("rowsDeleted").asLong()).isZero();
        assertThat(second.toJson().path("rowsUnchanged").asLong()).isEqualTo(30);
        assertThat(stored(collection)).isEqualTo(withOutsiders(expected));

        // on the 29th: one amount changes, one row is deleted, one leaves the selection (region changes)
        List<Long> eu29 = source.query("SELECT id FROM " + table + " WHERE region = 'eu' AND ts >= ? AND ts < ? ORDER BY id",
                java.sql.Timestamp.valueOf("2026-11-29 00:00:00"), java.sql.Timestamp.valueOf("2026-11-30 00:00:00"))
                .stream().map(r -> ((Number) r.get("id")).longValue()).toList();
        source.update("UPDATE " + table + " SET amount = 4242.42 WHERE id = ?", eu29.get(0));
        source.update("DELETE FROM " + table + " WHERE id = ?", eu29.get(1));
        source.update("UPDATE " + table + " SET region = 'us' WHERE id = ?", eu29.get(2));
        source.update("UPDATE " + table + " SET note = 'not copied' WHERE id = ?", eu29.get(3));

        SyncReport third = copy(table, collection, parallel);
        Map<String, String> changed = expected(table);
        assertThat(changed).hasSize(28);
        assertThat(changed.get(String.valueOf(eu29.get(0)))).endsWith("amount=4242.42");
        assertThat(stored(collection)).isEqualTo(withOutsiders(changed));
        JsonNode day29 = third.toJson().path("partitions").get(1);
        assertThat(day29.path("name").asText()).isEqualTo("2026-11-29");
        assertThat(day29.path("rowsRead").asLong()).isEqualTo(8);
        assertThat(day29.path("rowsWritten").asLong()).isEqualTo(1);
        assertThat(day29.path("rowsDeleted").asLong()).isEqualTo(2);
        assertThat(day29.path("rowsUnchanged").asLong()).isEqualTo(7);
        assertThat(third.toJson().path("rowsUnchanged").asLong()).isEqualTo(27);
        assertThat(third.toJson().path("rowsTransferred").asLong()).isEqualTo(1);
    }

    private OnlineCopy onlineCopy(String table, String collection, int parallel) {
        Selection selection = Selection.parse(json("{\"filter\":{\"where\":\"" + FILTER + "\"},"
                + "\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}}"), true);
        return new OnlineCopy(source.dataSource(), "tradesDb", table, "id", selection, store, "_system", collection,
                parallel, OnlineCopy.Pools.OWNED);
    }

    @Test
    void aCancelStopsThePartitionsNotYetCopied() {
        String table = sourceTable(seed.random());
        String sequential = "cancelled" + NAMES.incrementAndGet();
        JobControl control = new JobControl(0);
        List<String> done = new ArrayList<>();
        // cancelled as the first partition completes: the next one does not start
        assertThatThrownBy(() -> onlineCopy(table, sequential, 1).run(control, c -> {
            done.add(c.name());
            control.cancel();
        })).isInstanceOf(JobStopped.class).hasMessage("cancelled");
        assertThat(done).containsExactly("2026-11-28");
        assertThat(store.collection("_system", sequential, false).count()).isEqualTo(10);

        String parallel = "cancelled" + NAMES.incrementAndGet();
        JobControl cancelled = new JobControl(0);
        cancelled.cancel();
        assertThatThrownBy(() -> onlineCopy(table, parallel, 3).run(cancelled, c -> done.add(c.name())))
                .isInstanceOf(JobStopped.class).hasMessage("cancelled");
        assertThat(done).containsExactly("2026-11-28");
        assertThat(store.collections("_system")).doesNotContain(parallel);
    }

    @Test
    void theCommandLineCopiesByPartitionWithTheSameOptions() {
        String table = sourceTable(seed.random());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = SyncCommand.run(new String[] {"--source-jdbc-url", source.jdbcUrl(), "--source-jdbc-user",
                source.user(), "--source-table", table, "--key-column", "id", "--target-jdbc-url", central.jdbcUrl(),
                "--target-jdbc-user", central.user(), "--target-collection", "cli" + table, "--where", FILTER,
                "--columns", "ts,amount", "--partition-by", "day:ts", "--parallel", "2"}, Map.of(),
                new java.io.PrintStream(out), new java.io.PrintStream(err));

        assertThat(code).as(err.toString()).isZero();
        JsonNode result = json(out.toString()).path("result");
        assertThat(result.path("partitioned").asBoolean()).isTrue();
        assertThat(result.path("rowsTransferred").asLong()).isEqualTo(30);
        assertThat(stored("cli" + table)).isEqualTo(expected(table));
    }

    @Test
    void aNodeUrlSourceTakesACollectionsSelectionAndBadFieldsAreRefused() {
        String url = "{\"source\":{\"url\":\"http://127.0.0.1:8529\",\"collection\":\"orders\"},\"target\":{\"collection\":\"orders\"},";
        assertThat(SyncSpec.parse(url + "\"partitionBy\":{\"by\":\"day\",\"column\":\"ts\"}}").partitioned()).isTrue();
        // a node URL source is a collection: its filter is a key and attribute range, never SQL
        assertThatThrownBy(() -> SyncSpec.parse(url + "\"filter\":{\"where\":\"ts > 0\"}}"))
                .isInstanceOf(ApiException.class).hasMessage("unknown field 'filter.where'");
        assertThatThrownBy(() -> SyncSpec.parse("{\"source\":{\"dataSource\":\"tradesDb\",\"table\":\"t\",\"keyColumn\":\"id\"},"
                + "\"target\":{\"collection\":\"orders\"},\"filter\":{\"keyFrom\":\"a\"}}"))
                .hasMessage("unknown field 'filter.keyFrom'");
        assertThatThrownBy(() -> SyncSpec.parse("{\"source\":{\"dataSource\":\"tradesDb\",\"table\":\"t\",\"keyColumn\":\"id\"},"
                + "\"target\":{\"collection\":\"orders\"},\"partitionBy\":{\"by\":\"week\"}}"))
                .hasMessage("'partitionBy.by' must be one of none, value, day, month, keys, not 'week'");
        assertThatThrownBy(() -> SyncSpec.parse("{\"source\":{\"dataSource\":\"tradesDb\",\"table\":\"t\",\"keyColumn\":\"id\"},"
                + "\"target\":{\"collection\":\"orders\"},\"parallel\":0}"))
                .hasMessageStartingWith("'parallel' must be a whole number of partitions copied at once");
    }

    @Test
    void theStoreStillRefusesItsOwnStagingTablesAsASource() {
        String staging = JdbcCollectionStore.tableName("_system", "orders") + "_sync_p3";
        assertThat(store.ownsTable(central.dataSource(), staging)).isTrue();
        assertThat(store.ownsTable(central.dataSource(), "public." + staging.toUpperCase())).isTrue();
    }
}
