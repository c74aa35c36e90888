package io.tributary.bench;

import static io.tributary.bench.Benchmark.PG;
import static io.tributary.bench.Benchmark.admin;
import static io.tributary.bench.Benchmark.freePort;
import static io.tributary.bench.Benchmark.machine;
import static io.tributary.bench.Benchmark.secs;
import static io.tributary.bench.Benchmark.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CentralClient;
import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.TributaryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The follower benchmark, run by {@code bench/follower-bench.sh}: two Tributary nodes in their own JVMs, central
 * stores on PostgreSQL (databases {@value #PRIMARY_DB} and {@value #FOLLOWER_DB}), the follower configured with
 * the {@code tributary-follower} route template as an operator would. Two figures:
 * <ol>
 * <li><b>lag</b> under a steady write rate on the primary (default 1,000 documents/s, as imports of 50 every
 * 50 ms): per entry, from the primary's commit to its apply on the follower, both read from the nodes' own
 * change logs afterwards ({@code written_at} of the primary's entry and of the follower's entry that applied
 * it; both processes run on this machine's clock);</li>
 * <li><b>catch-up</b>: the follower stopped, the primary imports a backlog (default 1,000,000 documents, batches
 * of 1,000 from 2 clients: the primary's import rate of this run), the follower started again; entries/s from
 * its start until it applied the primary's last tick, and the ratio to that import rate.</li>
 * </ol>
 */
public final class FollowerBench {

    static final String PRIMARY_DB = "bench_follower_primary";
    static final String FOLLOWER_DB = "bench_follower_replica";
    static final String COLLECTION = "bench";
    private static final int STEADY_BATCHES_PER_SECOND = 20;

    long entries = 1_000_000;
    int steadySeconds = 30;
    int steadyRate = 1_000;
    int clients = 2;
    int senders = 1;
    int batch = 1_000;
    String limit = "";
    String waitSeconds = "";
    String xmx = "512m";
    boolean profile;
    Path out;

    private final List<String[]> table = new ArrayList<>();
    private String pagesNote = "";

    public static void main(String[] args) throws Exception {
        FollowerBench b = new FollowerBench();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--entries" -> { b.entries = Long.parseLong(v.replace("_", "")); i++; }
                case "--steady-seconds" -> { b.steadySeconds = Integer.parseInt(v); i++; }
                case "--steady-rate" -> { b.steadyRate = Integer.parseInt(v); i++; }
                case "--clients" -> { b.clients = Integer.parseInt(v); i++; }
                case "--senders" -> { b.senders = Integer.parseInt(v); i++; }
                case "--limit" -> { b.limit = v; i++; }
                case "--wait" -> { b.waitSeconds = v; i++; }
                case "--xmx" -> { b.xmx = v; i++; }
                case "--profile" -> b.profile = true;
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + " (see bench/follower-bench.sh --help)");
            }
        }
        b.out = Path.of("target", "bench", "follower-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        Files.createDirectories(b.out);
        b.run();
    }

    void run() throws Exception {
        System.out.printf(Locale.ROOT, "Follower benchmark: steady %,d writes/s for %d s, backlog %,d entries (%d clients, batches of %,d),"
                + " follower limit=%s waitSeconds=%s, -Xmx%s; output %s%n", steadyRate, steadySeconds, entries, clients, batch,
                limit.isEmpty() ? "default" : limit, waitSeconds.isEmpty() ? "default" : waitSeconds, xmx, out);
        for (String db : List.of(PRIMARY_DB, FOLLOWER_DB)) {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db);
        }
        int primaryPort = freePort();
        int followerPort = freePort();
        String primaryUrl = "http://127.0.0.1:" + primaryPort;
        Path followerYaml = writeFollowerYaml(primaryUrl);
        CentralClient toPrimary = new CentralClient(primaryPort);
        CentralClient toFollower = new CentralClient(followerPort);
        try (TributaryProcess primary = startPrimary(primaryPort)) {
            CentralCollection.create(primaryUrl, COLLECTION);
            TributaryProcess follower = startFollower(followerPort, primaryUrl, followerYaml, "steady");
            try {
                awaitApplied(toPrimary, toFollower, Duration.ofMinutes(2));
                steady(toPrimary, toFollower);
            } finally {
                follower.stop();
            }
            catchUp(primaryUrl, toPrimary, toFollower, followerPort, followerYaml);
        } finally {
            for (String db : List.of(PRIMARY_DB, FOLLOWER_DB)) {
                admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
        print();
    }

    // ---- phases ------------------------------------------------------------------------------

    /** Imports of {@code steadyRate / 20} documents every 50 ms; lag per entry from both nodes' logs. */
    void steady(CentralClient toPrimary, CentralClient toFollower) throws Exception {
        step("steady writes: " + steadyRate + "/s for " + steadySeconds + " s, " + senders + " sender thread(s)");
        long fromTick = lastTick(toPrimary);
        int perBatch = Math.max(1, steadyRate / STEADY_BATCHES_PER_SECOND);
        long periodNanos = 1_000_000_000L / STEADY_BATCHES_PER_SECOND;
        int batches = steadySeconds * STEADY_BATCHES_PER_SECOND;
        // each batch sent at its due time by one of the sender threads (one: never two imports at once, and a
        // late import delays the next ones, which then go at once)
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(senders);
        AtomicLong late = new AtomicLong();
        List<ScheduledFuture<?>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            long first = (long) b * perBatch;
            long due = b * periodNanos;
            sent.add(timer.schedule(() -> {
                if (System.nanoTime() - start - due > periodNanos) {
                    late.incrementAndGet();
                }
                StringBuilder body = new StringBuilder(perBatch * 200).append('[');
                for (int i = 0; i < perBatch; i++) {
                    long w = first + i;
                    body.append(i == 0 ? "" : ",").append(document("s" + (w % 10_000), w));
                }
                var r = toPrimary.post("/_api/import?collection=" + COLLECTION + "&type=array&onDuplicate=replace",
                        body.append(']').toString());
                if (r.status() != 201) {
                    throw new IllegalStateException("import answered " + r.status() + ": " + r.body());
                }
                return null;
            }, due, TimeUnit.NANOSECONDS));
        }
        try {
            for (ScheduledFuture<?> f : sent) {
                f.get();
            }
        } finally {
            timer.shutdownNow();
        }
        long written = (long) batches * perBatch;
        double seconds = secs(start);
        long toTick = lastTick(toPrimary);
        awaitApplied(toPrimary, toFollower, Duration.ofMinutes(5));
        double[] lags = lags(toPrimary, toFollower, fromTick, toTick);
        Arrays.sort(lags);
        table.add(new String[] {String.format(Locale.ROOT, "follower lag under %,.0f writes/s for %.0f s", written / seconds, seconds),
                String.format(Locale.ROOT, "p50 %.3f s, p99 %.3f s, max %.3f s", pct(lags, 50), pct(lags, 99),
                        lags.length == 0 ? Double.NaN : lags[lags.length - 1]),
                "target p99 ≤ 1 s", String.format(Locale.ROOT, "%,d entries matched of %,d written; imports of %d documents every 50 ms by %d thread(s), %d of %d started"
                + " > 50 ms after their time; %s", lags.length, toTick - fromTick, perBatch, senders, late.get(), batches, pagesNote)});
        System.out.printf(Locale.ROOT, "  %s%n", String.join(" | ", table.get(table.size() - 1)));
    }

    /** The follower stopped; the primary imports the backlog; the follower started again until in sync. */
    void catchUp(String primaryUrl, CentralClient toPrimary, CentralClient toFollower, int followerPort, Path followerYaml)
            throws Exception {
        step("backlog: the primary imports " + entries + " documents while the follower is stopped");
        long fromTick = lastTick(toPrimary);
        long start = System.nanoTime();
        importBacklog(toPrimary);
        double importSeconds = secs(start);
        long toTick = lastTick(toPrimary);
        double importRate = (toTick - fromTick) / importSeconds;
        table.add(new String[] {"primary import of the backlog (" + clients + " clients, batches of " + batch + ")",
                String.format(Locale.ROOT, "%,.0f entries/s (%.1f s)", importRate, importSeconds), "baseline",
                String.format(Locale.ROOT, "%,d entries", toTick - fromTick)});
        System.out.printf(Locale.ROOT, "  %s%n", String.join(" | ", table.get(table.size() - 1)));

        step("catch-up: the follower started again");
        long launched = System.nanoTime();
        TributaryProcess follower = startFollower(followerPort, primaryUrl, followerYaml, "catch-up");
        try {
            double startup = secs(launched);
            long started = System.nanoTime();
            long appliedAtStart = Math.max(0, status(toFollower).path("appliedTick").asLong(0));
            awaitApplied(toPrimary, toFollower, Duration.ofHours(2));
            double seconds = secs(started);
            double rate = (toTick - Math.min(appliedAtStart, fromTick)) / seconds;
            double[] applySpan = applySpan(toFollower);
            table.add(new String[] {"follower catch-up of the backlog",
                    String.format(Locale.ROOT, "%,.0f entries/s (%.1f s)", rate, seconds),
                    String.format(Locale.ROOT, "%.2f × import (target ≥ 0.5)", rate / importRate),
                    String.format(Locale.ROOT, "from the follower's start (JVM start-up %.1f s not counted) to applied = the primary's last"
                            + " tick; its pages' own commits span %.1f s: %,.0f entries/s", startup, applySpan[1], applySpan[0] / applySpan[1])});
            System.out.printf(Locale.ROOT, "  %s%n", String.join(" | ", table.get(table.size() - 1)));
        } finally {
            follower.stop();
        }
    }

    void importBacklog(CentralClient toPrimary) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        AtomicLong next = new AtomicLong();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(threads.submit(() -> {
                    for (long from = next.getAndAdd(batch); from < entries; from = next.getAndAdd(batch)) {
                        StringBuilder body = new StringBuilder(batch * 200).append('[');
                        for (long i = from; i < Math.min(entries, from + batch); i++) {
                            body.append(i == from ? "" : ",").append(document("b" + i, i));
                        }
                        var r = toPrimary.post("/_api/import?collection=" + COLLECTION + "&type=array&onDuplicate=replace",
                                body.append(']').toString());
                        if (r.status() != 201) {
                            throw new IllegalStateException("import answered " + r.status() + ": " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** About 200 bytes; {@code w} numbers the write, so an entry is found again in the follower's log. */
    private static String document(String key, long w) {
        return "{\"_key\":\"" + key + "\",\"w\":" + w + ",\"name\":\"item-" + w + "\",\"amount\":" + (w % 100_000)
                + ".25,\"body\":\"" + Long.toHexString(w * 31) + "-abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"
                + "0123456789abcdefghijklmnopqrstuvwxyz\",\"updated\":\"2026-12-01T00:00:00Z\"}";
    }

    // ---- measuring ---------------------------------------------------------------------------

    /**
     * Per entry of the primary's ticks {@code (fromTick, toTick]}: seconds from its {@code written_at} on the
     * primary to the {@code written_at} of the follower's own log entry that applied it (same {@code w}).
     */
    double[] lags(CentralClient toPrimary, CentralClient toFollower, long fromTick, long toTick) {
        Map<Long, Long> primaryMicros = new HashMap<>();
        logEntries(toPrimary, fromTick, toTick, (w, micros) -> primaryMicros.put(w, micros));
        List<Double> lags = new ArrayList<>();
        // per follower page (one apply transaction: one written_at), the newest primary commit it holds
        Map<Long, Long> pages = new HashMap<>();
        logEntries(toFollower, 0, Long.MAX_VALUE, (w, micros) -> {
            Long committed = primaryMicros.get(w);
            if (committed != null) {
                lags.add((micros - committed) / 1e6);
                pages.merge(micros, committed, Math::max);
            }
        });
        double[] pageLag = pages.entrySet().stream().mapToDouble(e -> (e.getKey() - e.getValue()) / 1e6).sorted().toArray();
        pagesNote = String.format(Locale.ROOT, "%,d pages of %.0f entries; per page, newest primary commit to its commit on"
                + " the follower p50 %.3f s, p99 %.3f s", pages.size(), lags.size() / (double) Math.max(1, pages.size()),
                pct(pageLag, 50), pct(pageLag, 99));
        return lags.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The backlog's entries in the follower's log: their count and the seconds between the first and last. */
    static double[] applySpan(CentralClient toFollower) {
        long[] span = {0, Long.MAX_VALUE, Long.MIN_VALUE};
        logEntries(toFollower, 0, Long.MAX_VALUE, (w, micros) -> {
            span[0]++;
            span[1] = Math.min(span[1], micros);
            span[2] = Math.max(span[2], micros);
        }, "b");
        return new double[] {span[0], (span[2] - span[1]) / 1e6};
    }

    private static void logEntries(CentralClient node, long from, long to, Row row) {
        logEntries(node, from, to, row, null);
    }

    /**
     * The puts of a node's log with ticks in {@code (from, to]} (whose key starts with {@code keyPrefix}, when
     * given), read page by page over the log API: each document's {@code w} and the entry's time in microseconds.
     */
    private static void logEntries(CentralClient node, long from, long to, Row row, String keyPrefix) {
        long after = from;
        while (after < to) {
            var r = node.get("/_api/tributary/log?from=" + after + "&limit=10000");
            if (r.status() != 200) {
                throw new IllegalStateException("log read answered " + r.status() + ": " + r.body());
            }
            JsonNode page = json(r.body());
            long last = page.path("lastIncluded").asLong();
            for (JsonNode e : page.path("entries")) {
                if (e.path("tick").asLong() > to || !"put".equals(e.path("op").asText())
                        || (keyPrefix != null && !e.path("key").asText().startsWith(keyPrefix))) {
                    continue;
                }
                java.time.Instant t = java.time.Instant.parse(e.path("time").asText());
                row.accept(e.path("doc").path("w").asLong(), t.getEpochSecond() * 1_000_000 + t.getNano() / 1000);
            }
            if (last == after || !page.path("checkMore").asBoolean()) {
                break;
            }
            after = last;
        }
    }

    private interface Row {
        void accept(long w, long micros);
    }

    private static JsonNode json(String line) {
        try {
            return io.tributary.json.Json.MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not a log entry: " + line, e);
        }
    }

    static double pct(double[] sorted, int p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static long lastTick(CentralClient toPrimary) {
        return toPrimary.get("/_api/tributary/log/state").json().path("lastTick").asLong();
    }

    static JsonNode status(CentralClient toFollower) {
        var r = toFollower.get("/api/followers/main");
        return r.status() == 200 ? r.json() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static void awaitApplied(CentralClient toPrimary, CentralClient toFollower, Duration timeout) {
        long last = lastTick(toPrimary);
        Await.until("the follower applied tick " + last, timeout, () -> status(toFollower).path("appliedTick").asLong(-1) >= last,
                () -> status(toFollower).toString());
    }

    // ---- processes ---------------------------------------------------------------------------

    TributaryProcess startPrimary(int port) {
        TributaryProcess p = TributaryProcess.builder("primary").heap(xmx).logDir(out)
                .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
                        "file:routes/collection-sync.camel.yaml", "file:routes/change-log.camel.yaml")
                .property("camel.server.port", String.valueOf(port))
                .property("camel.beans.centralDb.jdbcUrl", PG + PRIMARY_DB)
                .property("camel.beans.centralDb.username", "postgres")
                .property("camel.beans.centralDb.maximumPoolSize", "12").start();
        p.awaitStarted(Duration.ofMinutes(2));
        return p;
    }

    TributaryProcess startFollower(int port, String primaryUrl, Path yaml, String phase) {
        TributaryProcess.Builder b = TributaryProcess.builder("follower-" + phase).heap(xmx).logDir(out)
                .routes("file:routes/central-import.camel.yaml", "file:routes/jobs.camel.yaml",
                        "file:routes/collection-sync.camel.yaml", "file:routes/change-log.camel.yaml",
                        "file:routes/followers.camel.yaml", "file:routes/follower-template.camel.yaml", "file:" + yaml)
                .property("camel.server.port", String.valueOf(port))
                .property("camel.beans.centralDb.jdbcUrl", PG + FOLLOWER_DB)
                .property("camel.beans.centralDb.username", "postgres")
                .property("tributary.sync.peers", primaryUrl);
        if (profile) {
            b.jvmArg("-XX:StartFlightRecording=settings=profile,filename=" + out.resolve("follower-" + phase + ".jfr"));
        }
        TributaryProcess p = b.start();
        p.awaitStarted(Duration.ofMinutes(2));
        return p;
    }

    /** The follower's route file, as docs/replication.md shows it; only the primary's URL and the options given. */
    Path writeFollowerYaml(String primaryUrl) throws java.io.IOException {
        StringBuilder yaml = new StringBuilder("""
                # Generated by the follower benchmark.
                - templatedRoute:
                    routeTemplateRef: tributary-follower
                    routeId: follower-main
                    parameters:
                      - { name: name, value: main }
                      - { name: primaryUrl, value: "%s" }
                      - { name: database, value: _system }
                """.formatted(primaryUrl));
        if (!limit.isEmpty()) {
            yaml.append("      - { name: limit, value: \"").append(limit).append("\" }\n");
        }
        if (!waitSeconds.isEmpty()) {
            yaml.append("      - { name: waitSeconds, value: \"").append(waitSeconds).append("\" }\n");
        }
        Path file = out.resolve("follow-primary.camel.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    // ---- output ------------------------------------------------------------------------------

    void print() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%s; -Xmx%s per Tributary process%n%n", machine(), xmx));
        sb.append("| figure | result | ratio / target | notes |\n|---|---|---|---|\n");
        for (String[] r : table) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        System.out.println(sb);
        Files.writeString(out.resolve("results.md"), sb);
        System.out.println("Logs" + (profile ? ", JFR recordings" : "") + " and results.md: " + out);
    }
}
