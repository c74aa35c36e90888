package io.tributary.sync;

import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.KeyHash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.central.CentralClient;
import io.tributary.central.CollectionStore;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Tributary node for sync tests: its own database, port and password, central and sync routes loaded. */
final class SyncNode implements AutoCloseable {

    static final String USER = "syncer";
    static final String PEERS = "tributary.sync.peers";

    final TestDatabase db;
    final int port;
    final String password;
    /** Routes loaded besides the central import, sync and job routes. */
    private final String[] moreRoutes;
    TributaryApp app;

    SyncNode(Dialect dialect, String label, String password, Map<String, String> extra, String... moreRoutes) {
        this.db = TestDatabase.create(dialect, label);
        this.port = TributaryApp.freePort();
        this.password = password;
        this.moreRoutes = moreRoutes;
        start(extra);
    }

    /**
     * Starts the app. Every node lists itself as a peer (so the "into itself" refusal can be reached) plus
     * the peers in {@code extra}'s {@code tributary.sync.peers}.
     */
    void start(Map<String, String> extra) {
        String peers = url() + (extra.containsKey(PEERS) ? "," + extra.get(PEERS) : "");
        app = TributaryApp.builder().properties(db.beanProperties("centralDb"))
                .property("camel.server.port", "" + port)
                .property("tributary.central.username", USER).property("tributary.central.password", password)
                .properties(extra)
                .property(PEERS, peers)
                .routes(java.util.stream.Stream.concat(java.util.stream.Stream.of("file:routes/central-import.camel.yaml",
                        "file:routes/collection-sync.camel.yaml", "file:routes/jobs.camel.yaml"),
                        java.util.Arrays.stream(moreRoutes)).toArray(String[]::new))
                .start();
    }

    /** What a node needs to read from {@code sources}. */
    static Map<String, String> peers(SyncNode... sources) {
        return Map.of(PEERS, String.join(",", java.util.Arrays.stream(sources).map(SyncNode::url).toList()));
    }

    void stopApp() {
        app.close();
        app = null;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    CentralClient client() {
        return new CentralClient(port).credentials(USER, password);
    }

    /** Imports documents with onDuplicate=replace, in batches. */
    /** The day of every trade of {@link #loadTrades}. */
    static final List<String> TRADE_DAYS = List.of("2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30");

    /**
     * Loads {@code collection} with 20 trades a day over {@link #TRADE_DAYS}, half of them "eu": keys
     * {@code t0001} on, attributes {@code ts}, {@code region}, {@code amount}, {@code note}.
     */
    void loadTrades(String collection, java.util.Random random) {
        List<String> docs = new java.util.ArrayList<>();
        int id = 1;
        for (String day : TRADE_DAYS) {
            for (int i = 0; i < 20; i++, id++) {
                docs.add(String.format("{\"_key\":\"t%04d\",\"ts\":\"%sT%02d:%02d:00\",\"region\":\"%s\",\"amount\":%d.%02d,"
                        + "\"note\":\"n%d\"}", id, day, i, random.nextInt(60), i % 2 == 0 ? "eu" : "us",
                        random.nextInt(1000), random.nextInt(100), id));
            }
        }
        load(collection, docs);
    }

    void load(String collection, List<String> docs) {
        for (int from = 0; from < docs.size(); from += 1000) {
            var r = client().post("/_api/import?collection=" + collection
                    + "&type=documents&createCollection=true&onDuplicate=replace",
                    String.join("\n", docs.subList(from, Math.min(docs.size(), from + 1000))));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
    }

    static List<String> docs(int from, int to, String variant) {
        List<String> docs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            docs.add(doc(i, variant));
        }
        return docs;
    }

    static String doc(int i, String variant) {
        return String.format("{\"_key\":\"k%05d\",\"n\":%d,\"price\":%d.50,\"variant\":\"%s\",\"tags\":[\"a\",{\"z\":1,\"b\":2}]}",
                i, i, i % 100, variant);
    }

    static String key(int i) {
        return String.format("k%05d", i);
    }

    String table(String collection) {
        return db.dialect().quote(JdbcCollectionStore.tableName("_system", collection));
    }

    long count(String collection) {
        return db.count("SELECT COUNT(*) FROM " + table(collection));
    }

    void execute(String sql) {
        db.execute(sql);
    }

    /** Every row's key and canonical hash, in key order: two collections are equal when these are. */
    List<KeyHash> content(String collection) {
        JdbcKeyRanges ranges = CollectionStore.onJdbc(db.dataSource()).collection("_system", collection, false).ranges();
        List<KeyHash> all = new ArrayList<>();
        String after = null;
        while (true) {
            List<KeyHash> page = ranges.keyHashes(after, null, 5000);
            all.addAll(page);
            if (page.size() < 5000) {
                return all;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    /** The collection's documents by key: their attributes (no _key), and the version when they have one. */
    Map<String, JsonNode> documents(String collection) {
        Map<String, JsonNode> docs = new java.util.TreeMap<>();
        CollectionStore store = CollectionStore.onJdbc(db.dataSource());
        if (!store.collections("_system").contains(collection)) {
            return docs;
        }
        for (VersionedDocument d : store.collection("_system", collection, false).ranges().page(null, 10_000)) {
            ObjectNode doc;
            try {
                doc = (ObjectNode) Json.MAPPER.readTree(d.json());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            doc.remove("_key");
            if (d.version() != null) {
                doc.put("_version", d.version());
            }
            docs.put(d.key(), doc);
        }
        return docs;
    }

    /** Starts a job and waits for it to end (blocking mode); the final job view. */
    JsonNode syncAndWait(String body) {
        var r = client().post("/api/sync/jobs?wait=true", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    JsonNode job(String id) {
        var r = client().get("/api/sync/jobs/" + id);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    JsonNode awaitEnd(String id) {
        JsonNode[] last = {null};
        Await.until("job " + id + " to end", Duration.ofSeconds(60), () -> {
            last[0] = job(id);
            return !last[0].path("status").asText().equals("running");
        }, () -> String.valueOf(last[0]));
        return last[0];
    }

    String remoteSpec(SyncNode source, String sourceCollection, String targetCollection, String options) {
        return "{\"source\":{\"url\":\"" + source.url() + "\",\"collection\":\"" + sourceCollection + "\",\"username\":\""
                + USER + "\",\"password\":\"" + source.password + "\"},\"target\":{\"collection\":\"" + targetCollection
                + "\"}" + (options.isEmpty() ? "" : "," + options) + "}";
    }

    /** Closes the nodes that were started, in reverse order. */
    static void closeAll(SyncNode... nodes) {
        for (int i = nodes.length - 1; i >= 0; i--) {
            if (nodes[i] != null) {
                nodes[i].close();
            }
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        db.close();
    }
}
