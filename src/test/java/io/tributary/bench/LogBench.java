package io.tributary.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.central.CentralClient;
import io.tributary.central.CollectionStore;
import io.tributary.central.DocumentLimit;
import io.tributary.central.ImportBody;
import io.tributary.central.ImportRequest;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.log.ChangeLog;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The change log's cost on the import path, run by {@code bench/log-bench.sh}: the same imports into one
 * central store on PostgreSQL with the log on and off, measured in the same run, rounds alternating
 * (off, on, off, on, ...), for 1 and 8 concurrent clients. Each client imports batches of 1,000 documents
 * of about 200 bytes (PostgreSQL's set-based merge, {@code versionAttribute}), first as new keys, then the
 * same keys again with a higher version (updates). Prints the median rows/s of each and the ratio on/off.
 * The store is called directly, without HTTP, so the log's share of the time is not diluted.
 */
public final class LogBench {

    private static final int BATCH = 1000;

    private LogBench() {
    }

    /** Imports one batch (a JSON array) into a collection: the store called directly, or a node over HTTP. */
    @FunctionalInterface
    private interface Importer {
        void importBatch(String collection, byte[] body) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        boolean http = Arrays.asList(args).contains("--http");
        List<String> numbers = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        int rows = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 200_000;
        int rounds = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 3;
        if (http) {
            int onPort = TributaryApp.freePort();
            int offPort = TributaryApp.freePort();
            // a node per setting, each on its own database, as users import: POST /_api/import
            try (TestDatabase onDb = TestDatabase.create(Dialect.POSTGRESQL, "logbench_on");
                 TestDatabase offDb = TestDatabase.create(Dialect.POSTGRESQL, "logbench_off");
                 TributaryApp on = node(onDb, true, onPort); TributaryApp off = node(offDb, false, offPort)) {
                measure(rows, rounds, "over HTTP (POST /_api/import to a node)", over(onPort), over(offPort));
            }
            return;
        }
        try (TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL, "logbench");
             HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(db.jdbcUrl());
            pool.setUsername(db.user());
            pool.setMaximumPoolSize(10);
            measure(rows, rounds, "the store called directly", direct(store(pool, true)), direct(store(pool, false)));
        }
    }

    private static TributaryApp node(TestDatabase db, boolean logged, int port) {
        return TributaryApp.builder().properties(db.beanProperties("centralDb"))
                .property("camel.server.port", Integer.toString(port))
                .property("tributary.central.password", "bench").property("tributary.log.enabled", Boolean.toString(logged))
                .routes("file:routes/central-import.camel.yaml").start();
    }

    private static Importer over(int port) {
        CentralClient client = new CentralClient(port).credentials("root", "bench");
        return (collection, body) -> {
            CentralClient.Response r = client.postStream("/_api/import?collection=" + collection + "&type=array"
                    + "&onDuplicate=replace&versionAttribute=v&createCollection=true", body);
            if (r.status() != 201) {
                throw new IllegalStateException("import answered " + r.status() + ": " + r.body());
            }
        };
    }

    private static Importer direct(CollectionStore store) {
        DocumentLimit limit = new DocumentLimit(DocumentLimit.DEFAULT_MAX_BYTES);
        java.util.Map<String, Boolean> created = new java.util.concurrent.ConcurrentHashMap<>();
        return (collection, body) -> {
            // the other clients of the collection wait until it is there
            created.computeIfAbsent(collection, c -> store.createCollection("_system", c));
            ImportRequest request = ImportRequest.parse("collection=" + collection + "&type=array&onDuplicate=replace"
                    + "&versionAttribute=v");
            store.importDocuments("_system", request, ImportBody.parse(limit, request, body), null);
        };
    }

    private static void measure(int rows, int rounds, String how, Importer on, Importer off) throws Exception {
        System.out.printf(Locale.ROOT, "change log cost on PostgreSQL, %s: %,d rows per measurement, batches of %d,"
                + " median of %d rounds%n%n", how, rows, BATCH, rounds);
        System.out.println("| clients | phase | log off rows/s | log on rows/s | on / off |");
        System.out.println("|---|---|---|---|---|");
        int round = 0;
        for (int clients : new int[] {1, 8}) {
            double[][] insert = new double[2][rounds];
            double[][] update = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int logged = 0; logged < 2; logged++) {
                    Importer store = logged == 1 ? on : off;
                    String collection = "bench_" + (logged == 1 ? "on" : "off") + "_" + round++;
                    insert[logged][r] = run(store, collection, rows, clients, 1);
                    update[logged][r] = run(store, collection, rows, clients, 2);
                }
            }
            print(clients, "insert", insert);
            print(clients, "update", update);
        }
    }

    private static CollectionStore store(HikariDataSource pool, boolean logged) {
        ChangeLog log = new ChangeLog();
        log.setDataSource(pool);
        log.setEnabled(logged);
        JdbcCollectionStore store = new JdbcCollectionStore();
        store.setDataSource(pool);
        store.setChangeLog(log);
        store.start();
        return store;
    }

    private static void print(int clients, String phase, double[][] rates) {
        double off = median(rates[0]);
        double on = median(rates[1]);
        System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.2f |%n", clients, phase, off, on, on / off);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Rows per second of {@code rows} documents imported by {@code clients} concurrent clients, each its own keys. */
    private static double run(Importer store, String collection, int rows, int clients, int version) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            int perClient = rows / clients;
            for (int c = 0; c < clients; c++) {
                int first = c * perClient;
                done.add(threads.submit(() -> {
                    for (int from = first; from < first + perClient; from += BATCH) {
                        StringBuilder body = new StringBuilder(BATCH * 220).append('[');
                        for (int i = from; i < Math.min(first + perClient, from + BATCH); i++) {
                            if (i > from) {
                                body.append(',');
                            }
                            body.append("{\"_key\":\"k").append(i).append("\",\"v\":").append(version)
                                    .append(",\"name\":\"item-").append(i).append("\",\"amount\":").append(i % 100000)
                                    .append(".25,\"body\":\"").append(Integer.toHexString(i * 31)).append("-")
                                    .append("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz")
                                    .append("\",\"updated\":\"2026-11-30T22:00:00Z\"}");
                        }
                        store.importBatch(collection, body.append(']').toString().getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        } finally {
            threads.shutdownNow();
        }
    }
}
