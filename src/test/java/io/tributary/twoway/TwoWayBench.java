package io.tributary.twoway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.job.JobControl;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Benchmark (bench/two-way-bench.sh): a PostgreSQL table ⇄ a MariaDB table of N identical rows; a run over
 * the whole history (every row read on both sides and offered to the other: what a full copy of the pair
 * costs), then 1 % of the rows changed on each side and a run over the range since, through the index on
 * the timestamp. Prints seconds, rows read and rows read per second of both, and their ratio.
 *
 * <p>Argument: {@code [rows=1000000]}.
 */
public final class TwoWayBench {

    private TwoWayBench() {
    }

    public static void main(String... args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (TestDatabase pg = TestDatabase.create(Dialect.POSTGRESQL, "bench_pg");
             TestDatabase maria = TestDatabase.create(Dialect.MARIADB, "bench_maria");
             TestDatabase central = TestDatabase.create(Dialect.H2, "bench_central")) {
            long t0 = System.nanoTime();
            pg.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, changed_at TIMESTAMP(6) NOT NULL, name VARCHAR(40), qty INT)",
                    "INSERT INTO items SELECT g, TIMESTAMP '2026-01-01 00:00:00', 'item-' || g, g % 1000"
                            + " FROM generate_series(1, " + rows + ") g",
                    "CREATE INDEX items_changed ON items (changed_at)", "ANALYZE items");
            maria.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, changed_at DATETIME(6) NOT NULL, name VARCHAR(40), qty INT)"
                            + " DEFAULT CHARSET=utf8mb4",
                    "INSERT INTO items SELECT seq, '2026-01-01 00:00:00', CONCAT('item-', seq), seq % 1000 FROM seq_1_to_" + rows,
                    "CREATE INDEX items_changed ON items (changed_at)", "ANALYZE TABLE items");
            System.out.printf("loaded %,d identical rows into PostgreSQL and MariaDB in %.1f s%n", rows,
                    (System.nanoTime() - t0) / 1e9);
            CollectionStore store = CollectionStore.onJdbc(central.dataSource());
            Map<String, DataSource> beans = Map.of("pg", pg.dataSource(), "maria", maria.dataSource());
            String pair = "{\"pair\": \"bench\", \"a\": {\"dataSource\": \"pg\"}, \"b\": {\"dataSource\": \"maria\"},"
                    + " \"tables\": [\"items\"], \"keyColumn\": \"id\", \"timestampColumn\": \"changed_at\"";

            long fullStart = System.nanoTime();
            ObjectNode full = run(store, beans, central, pair + ", \"begin\": \"1970-01-01T00:00:00\","
                    + " \"end\": \"2026-01-01T00:00:01\", \"storeEnd\": true}");
            double fullSeconds = (System.nanoTime() - fullStart) / 1e9;

            int changed = rows / 100;
            pg.execute("UPDATE items SET changed_at = TIMESTAMP '2026-01-02 00:00:00', name = 'pg-changed' WHERE id % 100 = 0");
            maria.execute("UPDATE items SET changed_at = '2026-01-02 00:00:00', name = 'maria-changed' WHERE id % 100 = 50");
            long incStart = System.nanoTime();
            ObjectNode inc = run(store, beans, central, pair + ", \"end\": \"2026-01-03T00:00:00\", \"storeEnd\": true}");
            double incSeconds = (System.nanoTime() - incStart) / 1e9;

            System.out.printf("%n%-44s %9s %12s %12s %10s%n", "run (" + rows + " rows, PostgreSQL <-> MariaDB)", "seconds",
                    "rows read", "rows/s", "applied");
            line("whole history (full copy of the pair)", fullSeconds, full);
            line("since the last run, " + changed + " changed on each side", incSeconds, inc);
            System.out.printf("%nincremental / full: %.1f %%%n", 100 * incSeconds / fullSeconds);
        }
    }

    private static ObjectNode run(CollectionStore store, Map<String, DataSource> beans, TestDatabase central, String json) {
        TwoWayTask task = new TwoWayTask(TwoWaySpec.parse(json), store, beans::get, central.dataSource(), null,
                UnaryOperator.identity());
        task.validate();
        return task.run(new JobControl(0));
    }

    private static void line(String name, double seconds, ObjectNode report) {
        long read = 0;
        long applied = 0;
        for (JsonNode d : report.path("directions")) {
            read += d.path("read").asLong();
            applied += d.path("applied").asLong();
        }
        System.out.printf("%-44s %9.1f %,12d %,12.0f %,10d%n", name, seconds, read, read / seconds, applied);
    }
}
