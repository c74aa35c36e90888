package io.tributary.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (bench/sync-bench.sh): a full sync of N documents between two nodes, then an incremental
 * sync after 1% of the source's documents changed (half updated, half replaced by new keys), compared
 * with a second full sync of the same data. Prints time and bytes received per run.
 *
 * <p>Arguments: {@code [rows=1000000] [dialect=H2|POSTGRESQL|MARIADB]} (both nodes on that database).
 */
public final class SyncBench {

    private SyncBench() {
    }

    public static void main(String... args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Dialect dialect = args.length > 1 ? Dialect.valueOf(args[1].toUpperCase(Locale.ROOT)) : Dialect.H2;
        try (SyncNode source = new SyncNode(dialect, "benchsrc", "bench-src", Map.of());
             SyncNode target = new SyncNode(dialect, "benchtgt", "bench-tgt", SyncNode.peers(source))) {
            source.load("bench", java.util.List.of(SyncNode.doc(0, "seed")));
            long t0 = System.nanoTime();
            fill(source, rows);
            System.out.printf("loaded %,d rows into the source in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);

            String spec = target.remoteSpec(source, "bench", "bench", "");
            JsonNode first = target.syncAndWait(spec);
            int changed = Math.max(1, rows / 100);
            change(source, rows, changed);
            JsonNode incremental = target.syncAndWait(target.remoteSpec(source, "bench", "bench", "\"incremental\":true"));
            JsonNode full = target.syncAndWait(spec);

            System.out.printf("%n%-34s %10s %14s %14s %12s%n", "run (" + rows + " rows, " + dialect + ")", "seconds",
                    "MB received", "transferred", "deleted");
            row("full sync into empty target", first);
            row("incremental, 1% of rows differ", incremental);
            row("full sync of the same data", full);
        }
    }

    private static void row(String name, JsonNode job) {
        if (!"succeeded".equals(job.path("status").asText())) {
            throw new IllegalStateException(name + ": " + job);
        }
        JsonNode r = job.path("result");
        System.out.printf("%-34s %10.1f %14.2f %,14d %,12d%n", name, r.path("durationMillis").asLong() / 1000.0,
                r.path("bytesReceived").asLong() / 1e6, r.path("rowsTransferred").asLong(), r.path("rowsDeleted").asLong());
    }

    private static void fill(SyncNode node, int rows) throws Exception {
        String table = node.db.dialect().quote(JdbcCollectionStore.tableName("_system", "bench"));
        Dialect d = node.db.dialect();
        try (Connection c = node.db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + d.quote("_key") + ", "
                     + d.quote("_version") + ", " + d.quote("doc") + ") VALUES (?, NULL, " + d.jsonParameter() + ")")) {
            c.setAutoCommit(false);
            for (int i = 1; i < rows; i++) {
                ps.setString(1, String.format("k%07d", i));
                ps.setString(2, String.format("{\"_key\":\"k%07d\",\"n\":%d,\"price\":%d.50,\"name\":\"customer %d\"}",
                        i, i, i % 100, i % 977));
                ps.addBatch();
                if (i % 5000 == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Half of {@code changed} rows updated, half deleted and replaced by new keys, spread over the key space. */
    private static void change(SyncNode node, int rows, int changed) throws Exception {
        String table = node.db.dialect().quote(JdbcCollectionStore.tableName("_system", "bench"));
        Dialect d = node.db.dialect();
        int step = Math.max(1, rows / changed);
        try (Connection c = node.db.dataSource().getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + d.quote("doc") + " = "
                     + d.jsonParameter() + " WHERE " + d.quote("_key") + " = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE " + d.quote("_key") + " = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + d.quote("_key") + ", "
                     + d.quote("_version") + ", " + d.quote("doc") + ") VALUES (?, NULL, " + d.jsonParameter() + ")")) {
            c.setAutoCommit(false);
            for (int n = 0, i = 1; n < changed && i < rows; n++, i += step) {
                String key = String.format("k%07d", i);
                if (n % 2 == 0) {
                    update.setString(1, "{\"_key\":\"" + key + "\",\"changed\":true}");
                    update.setString(2, key);
                    update.addBatch();
                } else {
                    delete.setString(1, key);
                    delete.addBatch();
                    insert.setString(1, key + "n");
                    insert.setString(2, "{\"_key\":\"" + key + "n\",\"new\":true}");
                    insert.addBatch();
                }
            }
            update.executeBatch();
            delete.executeBatch();
            insert.executeBatch();
            c.commit();
        }
    }
}
