package io.tributary.source;

import io.tributary.central.CentralClient;
import io.tributary.sql.Dialect;
import io.tributary.testing.Await;
import io.tributary.testing.SourceApp;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.model.ModelCamelContext;

/**
 * {@code bench/sources-status-bench.sh [sources=100] [seconds=150]}: a node with N sources (PostgreSQL change
 * tables) sending to its own central endpoint; for the given time, times {@code GET /api/sources} against
 * {@code GET /_api/version} (the cheapest answer of the same server, the baseline) one after the other, and
 * counts the backlog queries the sources sent to their database meanwhile.
 */
public final class SourceStatusBench {

    private SourceStatusBench() {
    }

    public static void main(String[] args) throws Exception {
        int sources = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        try (TestDatabase db = TestDatabase.create(Dialect.POSTGRESQL, "statusbench")) {
            Path dir = Files.createTempDirectory("tributary-status-bench-");
            int port = TributaryApp.freePort();
            List<String> routes = new ArrayList<>(List.of("file:routes/central-import.camel.yaml", "file:routes/sources.camel.yaml",
                    SourceApp.TEMPLATE));
            for (int i = 0; i < sources; i++) {
                String id = "s" + i;
                db.execute("CREATE TABLE " + id + "_changes (id " + db.identityKey() + ", v VARCHAR(20) NOT NULL)",
                        "INSERT INTO " + id + "_changes (v) SELECT 'v' || g FROM generate_series(1, 10) g");
                Map<String, String> s = SourceApp.source(id, id + "_changes", "http://127.0.0.1:" + port);
                s.put("poll", "timer:tributary-" + id + "?period=5000&delay=1000");
                routes.add("file:" + SourceApp.writeSourceFile(dir, s));
            }
            try (TributaryApp app = TributaryApp.builder().routes(routes.toArray(String[]::new))
                    .properties(db.beanProperties("sourceDb")).properties(db.beanProperties("centralDb"))
                    .property("camel.beans.sourceDb.maximumPoolSize", "10")
                    .property("camel.server.port", Integer.toString(port)).start()) {
                CentralClient client = new CentralClient(port);
                Await.until("every source's first run", Duration.ofMinutes(5), () -> client.get("/api/sources").json()
                        .path("sources").findValues("lastSuccess").stream().noneMatch(v -> v.isNull()));
                for (int i = 0; i < 50; i++) {
                    client.get("/api/sources");
                    client.get("/_api/version");
                }
                String loadBefore = load();
                long queriesBefore = queries(app);
                long started = System.nanoTime();
                long end = started + seconds * 1_000_000_000L;
                List<Double> status = new ArrayList<>();
                List<Double> version = new ArrayList<>();
                int bytes = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    bytes = client.get("/api/sources").body().length();
                    long t1 = System.nanoTime();
                    client.get("/_api/version");
                    long t2 = System.nanoTime();
                    status.add((t1 - t0) / 1e6);
                    version.add((t2 - t1) / 1e6);
                }
                double minutes = (System.nanoTime() - started) / 60e9;
                long queries = queries(app) - queriesBefore;
                System.out.printf(Locale.ROOT, "%n%d sources polled every 5 s, %d requests of each kind in %.2f minutes (answer %d"
                        + " bytes); load average before %s, after %s%n", sources, status.size(), minutes, bytes, loadBefore, load());
                System.out.printf(Locale.ROOT, "| request | p50 ms | p95 ms | p99 ms | max ms |%n|---|---|---|---|---|%n");
                row("GET /api/sources", status);
                row("GET /_api/version (baseline)", version);
                System.out.printf(Locale.ROOT, "p50 ratio /api/sources : /_api/version = %.1f; p95 ratio %.1f%n",
                        pct(status, 50) / pct(version, 50), pct(status, 95) / pct(version, 95));
                System.out.printf(Locale.ROOT, "backlog count queries while reading: %d for %d sources in %.2f minutes = %.2f per source"
                        + " per minute (bound: 1 per source per backlogIntervalMs = 60 s, so at most %d per source here)%n",
                        queries, sources, minutes, queries / (double) sources / minutes, (int) Math.ceil(minutes) + 1);
            }
        }
    }

    /** Count queries the sources sent to their database so far ({@link SourceBacklog#queries}). */
    private static long queries(TributaryApp app) {
        return ((ModelCamelContext) app.context()).getRouteDefinitions().stream()
                .map(r -> r.getRouteTemplateContext()).filter(t -> t != null)
                .map(t -> t.getLocalBeanRepository().lookupByName("source")).filter(ChangeSource.class::isInstance)
                .mapToLong(s -> ((ChangeSource) s).backlog().queries()).sum();
    }

    /** The machine's 1-minute load average: the machine is shared, so it says how busy it was. */
    private static String load() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static void row(String name, List<Double> ms) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", name, pct(ms, 50), pct(ms, 95), pct(ms, 99),
                pct(ms, 100));
    }

    private static double pct(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
