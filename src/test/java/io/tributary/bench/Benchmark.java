package io.tributary.bench;

import io.tributary.testing.Await;
import io.tributary.testing.CentralCollection;
import io.tributary.testing.TributaryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark of issue 3, run by {@code bench/run.sh}: one PostgreSQL source table of N rows,
 * synced by Tributary (central and source as two separate JVMs, central stored in PostgreSQL),
 * measured against {@code COPY | COPY} and {@code pg_dump | psql} of the same table in the same run.
 * Prints one table; every figure is also a ratio to the COPY limit. See docs/performance.md.
 */
public final class Benchmark {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String SRC = "bench_src";
    static final String CENTRAL = "bench_central";
    static final String COPY_DB = "bench_copy";
    static final String DUMP_DB = "bench_dump";
    static final String SOURCE_ID = "bench";
    static final String COLLECTION = "bench";

    /**
     * updated_at is {@code timestamp}, not {@code timestamptz}: the source's timestamp mode reads the
     * watermark column as LocalDateTime, which the PostgreSQL driver refuses for timestamptz.
     */
    static final String TABLE_DDL = "CREATE TABLE items (id bigint PRIMARY KEY, uid uuid NOT NULL, name text NOT NULL,"
            + " body text NOT NULL, amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, updated_at timestamp NOT NULL)";

    /** The workload: {@code rows} rows of about 190 bytes into an empty {@link #TABLE_DDL} table. */
    static String insertItems(long rows) {
        return "INSERT INTO items SELECT g, gen_random_uuid(), 'item-' || g,"
                + " md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) || lpad(g::text, 4, '0'),"
                + " round((random() * 100000)::numeric, 2),"
                + " timestamptz '2025-01-01 00:00:00+00' + g * interval '1 millisecond',"
                + " timestamp '2025-01-01 00:00:00' + g * interval '1 millisecond'"
                + " FROM generate_series(1, " + rows + ") g";
    }

    // options (bench/run.sh --help lists them)
    long rows = 1_000_000;
    String xmx = "256m";
    int maxChanges = 10_000;
    int batchSize = 2_500;
    int parallelBatches = 2;
    int pollMs = 500;
    int safetyLagMs = 100;
    int steadySeconds = 30;
    int steadyRate = 1_000;
    boolean profile;
    boolean loadOnly;
    String centralArgs = "";
    String jvmArgs = "-XX:+UseParallelGC";
    Path out;

    private final List<String[]> table = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private double copyRate;
    private CpuUse.Result copyCpu;

    public static void main(String[] args) throws Exception {
        Benchmark b = new Benchmark();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rows" -> { b.rows = Long.parseLong(v.replace("_", "")); i++; }
                case "--xmx" -> { b.xmx = v; i++; }
                case "--max-changes" -> { b.maxChanges = Integer.parseInt(v); i++; }
                case "--batch-size" -> { b.batchSize = Integer.parseInt(v); i++; }
                case "--parallel-batches" -> { b.parallelBatches = Integer.parseInt(v); i++; }
                case "--poll-ms" -> { b.pollMs = Integer.parseInt(v); i++; }
                case "--safety-lag-ms" -> { b.safetyLagMs = Integer.parseInt(v); i++; }
                case "--steady-seconds" -> { b.steadySeconds = Integer.parseInt(v); i++; }
                case "--steady-rate" -> { b.steadyRate = Integer.parseInt(v); i++; }
                case "--central-args" -> { b.centralArgs = v; i++; }
                case "--jvm-args" -> { b.jvmArgs = v; i++; }
                case "--profile" -> b.profile = true;
                case "--load-only" -> b.loadOnly = true;
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + " (see bench/run.sh --help)");
            }
        }
        b.out = Path.of("target", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        Files.createDirectories(b.out);
        b.run();
    }

    void run() throws Exception {
        System.out.printf("Tributary benchmark: %,d rows, -Xmx%s, maxChanges=%d, batchSize=%d, parallelBatches=%d, poll=%dms, safetyLag=%dms; output %s%n",
                rows, xmx, maxChanges, batchSize, parallelBatches, pollMs, safetyLagMs, out);
        for (String db : List.of(SRC, CENTRAL, COPY_DB, DUMP_DB)) {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db);
        }
        step("generate workload");
        long t = System.nanoTime();
        sql(SRC, TABLE_DDL, insertItems(rows),
                "CREATE INDEX items_updated_at ON items (updated_at, id)",
                "VACUUM ANALYZE items");
        System.out.printf("  %,d rows in %.1fs, table size %s%n", rows, secs(t), scalar(SRC, "SELECT pg_size_pretty(pg_table_size('items'))"));

        baselines();

        int centralPort = freePort();
        String centralUrl = "http://127.0.0.1:" + centralPort;
        Path sourceYaml = writeSourceYaml(centralUrl);
        try (TributaryProcess central = startCentral(centralPort)) {
            createCollection(centralUrl);
            String centralTable = scalar(CENTRAL, "SELECT table_name FROM tributary_collections WHERE collection_name = '" + COLLECTION + "'");
            admin("CHECKPOINT");
            TributaryProcess source = startSource(sourceYaml, "load");
            try {
                initialLoad(source, central, centralTable);
                if (loadOnly) { // the 10M-row heap run: initial load only
                    memory("source", source);
                    memory("central", central);
                    print();
                    return;
                }
                resyncAllNewer(source, centralTable);
            } finally {
                source.stop();
            }
            resyncNothingChanged(sourceYaml, centralTable);
            source = startSource(sourceYaml, "steady");
            try {
                source.awaitStarted(Duration.ofMinutes(2));
                steadyState(source, centralTable);
                memory("source", source);
            } finally {
                source.stop();
            }
            memory("central", central);
        }
        print();
    }

    // ---- baselines ---------------------------------------------------------------------------

    void baselines() throws Exception {
        sql(COPY_DB, TABLE_DDL);
        sql(DUMP_DB, TABLE_DDL);
        String conn = "-h 127.0.0.1 -U postgres -X -q";
        step("baseline COPY | COPY");
        admin("CHECKPOINT"); // each timed phase starts with no dirty buffers left by the previous one
        CpuUse cpu = CpuUse.start(Map.of("harness", CpuUse.harnessPid()), Map.of());
        double copySecs = shell("psql " + conn + " -d " + SRC + " -c 'COPY items TO STDOUT'"
                + " | psql " + conn + " -d " + COPY_DB + " -c 'COPY items FROM STDIN'");
        copyCpu = cpu.stop(rows);
        check(COPY_DB, rows);
        copyRate = rows / copySecs;
        row("COPY items TO STDOUT piped into COPY items FROM STDIN (PK)", copySecs, copyRate,
                "the raw copy limit; " + copyCpu.describe());
        step("baseline pg_dump | psql");
        admin("CHECKPOINT");
        double dumpSecs = shell("pg_dump -h 127.0.0.1 -U postgres --data-only -t items " + SRC + " | psql " + conn + " -d " + DUMP_DB + " >/dev/null");
        check(DUMP_DB, rows);
        row("pg_dump --data-only -t items piped into psql (PK)", dumpSecs, rows / dumpSecs, "");
        admin("DROP DATABASE " + COPY_DB + " WITH (FORCE)", "DROP DATABASE " + DUMP_DB + " WITH (FORCE)");
    }

    // ---- Tributary phases --------------------------------------------------------------------

    void initialLoad(TributaryProcess source, TributaryProcess central, String centralTable) throws Exception {
        step("initial load");
        Duration startup = source.awaitStarted(Duration.ofMinutes(2));
        long t = System.nanoTime();
        JfrRecording jfr = profile ? JfrRecording.start(out, "initial-load", central, source) : null;
        CpuUse cpu = CpuUse.start(
                CpuUse.ordered("source JVM", source.pid(), "central JVM", central.pid(), "harness", CpuUse.harnessPid()),
                CpuUse.ordered(SRC, "source database", CENTRAL, "central database"));
        awaitSynced(source, Duration.ofSeconds(120 + rows / 2_000));
        double s = secs(t);
        CpuUse.Result used = cpu.stop(rows);
        if (jfr != null) {
            jfr.stop();
        }
        check(CENTRAL, "\"" + centralTable + "\"", rows);
        CpuUse.Result storage = documentCopyLimit(centralTable);
        double documentCopyRate = rows / storage.wallSeconds();
        row("Tributary initial load into empty collection", s, rows / s,
                "from Camel started (JVM + Camel start-up " + ms(startup) + " not included); "
                        + String.format(Locale.ROOT, "%.2f", rows / s / documentCopyRate) + " × the document COPY limit; "
                        + used.describe());
        budget(used, storage);
    }

    /**
     * What the target of 0.5 × COPY allows per row on this machine, whatever the overlap of the
     * stages: all cores busy for 2 / copyRate seconds per row. Set against the CPU that the storage
     * alone (the COPY of the stored documents) and Tributary's load spent per row in this run.
     */
    void budget(CpuUse.Result load, CpuUse.Result storage) {
        int cores = Runtime.getRuntime().availableProcessors();
        double allowed = cores * 1e6 / (0.5 * copyRate);
        notes.add(String.format(Locale.ROOT, "CPU budget of the 0.5 × COPY target: at %,.0f rows/s, %d cores give at most"
                        + " %.1f µs of CPU per row for everything (source database, Tributary, central database)."
                        + " Spent in this run: the raw COPY %.1f µs, the COPY of the stored documents alone %.1f µs,"
                        + " Tributary's initial load %.1f µs (source JVM %.1f, central JVM %.1f, source database %.1f,"
                        + " central database %.1f, the rest %.1f)."
                        + " At its CPU per row, Tributary's load could reach at most %.2f × COPY with every core busy.",
                0.5 * copyRate, cores, allowed, copyCpu.totalMicrosPerRow(), storage.totalMicrosPerRow(),
                load.totalMicrosPerRow(), load.microsPerRow("source JVM"), load.microsPerRow("central JVM"),
                load.microsPerRow("source database"), load.microsPerRow("central database"),
                load.totalMicrosPerRow() - load.microsPerRow("source JVM") - load.microsPerRow("central JVM")
                        - load.microsPerRow("source database") - load.microsPerRow("central database"),
                cores * 1e6 / load.totalMicrosPerRow() / copyRate));
    }

    /**
     * The storage limit of a document collection, for comparison: the documents Tributary just stored,
     * copied with COPY into an empty table of the same shape (text key with primary key, numeric
     * version, jsonb document) in another database. No HTTP, no JSON encoding outside PostgreSQL.
     */
    CpuUse.Result documentCopyLimit(String centralTable) throws Exception {
        step("baseline COPY of the stored documents");
        admin("DROP DATABASE IF EXISTS " + COPY_DB + " WITH (FORCE)", "CREATE DATABASE " + COPY_DB);
        sql(COPY_DB, io.tributary.central.JdbcCollectionStore.createTableSql(io.tributary.sql.Dialect.POSTGRESQL, "docs"));
        admin("CHECKPOINT");
        String conn = "-h 127.0.0.1 -U postgres -X -q";
        CpuUse cpu = CpuUse.start(Map.of("harness", CpuUse.harnessPid()), Map.of());
        double secs = shell("psql " + conn + " -d " + CENTRAL + " -c 'COPY \"" + centralTable + "\" TO STDOUT'"
                + " | psql " + conn + " -d " + COPY_DB + " -c 'COPY docs FROM STDIN'");
        CpuUse.Result used = cpu.stop(rows);
        check(COPY_DB, "docs", rows);
        admin("DROP DATABASE " + COPY_DB + " WITH (FORCE)", "CHECKPOINT");
        row("COPY of those documents into an empty collection table (jsonb, key PK)", secs, rows / secs,
                "the storage limit of a jsonb document collection; " + used.describe());
        return used;
    }

    void resyncAllNewer(TributaryProcess source, String centralTable) throws Exception {
        step("re-sync, every row newer");
        long u = System.nanoTime();
        sql(SRC, "UPDATE items SET updated_at = clock_timestamp()::timestamp");
        System.out.printf("  UPDATE of all rows took %.1fs (not counted)%n", secs(u));
        long t = System.nanoTime();
        awaitSynced(source, Duration.ofSeconds(120 + rows / 2_000));
        double s = secs(t);
        long stale = Long.parseLong(scalar(CENTRAL, "SELECT count(*) FROM \"" + centralTable
                + "\" WHERE (doc->>'updated_at')::timestamp < timestamp '2025-06-01'"));
        if (stale != 0) {
            throw new AssertionError(stale + " central documents were not updated by the re-sync");
        }
        row("Tributary re-sync, every row newer (all updates)", s, rows / s, "from the UPDATE's commit");
    }

    void resyncNothingChanged(Path sourceYaml, String centralTable) throws Exception {
        step("re-sync, nothing changed");
        // Forget the watermark on both sides, so the source reads every row again and the central
        // node has to compare versions for each: every document is ignored.
        sql(SRC, "DELETE FROM tributary_status WHERE source_id = '" + SOURCE_ID + "'");
        sql(CENTRAL, "DELETE FROM tributary_source_positions WHERE source = '" + SOURCE_ID + "'");
        String before = scalar(CENTRAL, "SELECT md5(string_agg(_key || ':' || _version, ',' ORDER BY _key)) FROM \"" + centralTable + "\"");
        try (TributaryProcess source = startSource(sourceYaml, "resync")) {
            Duration startup = source.awaitStarted(Duration.ofMinutes(2));
            long t = System.nanoTime();
            awaitSynced(source, Duration.ofSeconds(120 + rows / 2_000));
            double s = secs(t);
            String after = scalar(CENTRAL, "SELECT md5(string_agg(_key || ':' || _version, ',' ORDER BY _key)) FROM \"" + centralTable + "\"");
            if (!before.equals(after)) {
                throw new AssertionError("a re-sync of unchanged rows changed central versions");
            }
            row("Tributary re-sync, nothing changed (all ignored)", s, rows / s, "from Camel started (" + ms(startup) + " start-up)");
        }
    }

    void steadyState(TributaryProcess source, String centralTable) throws Exception {
        step("steady state: writer at " + steadyRate + " rows/s for " + steadySeconds + "s");
        // Central commit time: a trigger stamps each written central row; source commit time: the
        // writer stamps updated_at with clock_timestamp() in a one-statement transaction. All
        // sessions run in UTC (the processes get -Duser.timezone=UTC), so updated_at is UTC.
        sql(CENTRAL, "ALTER TABLE \"" + centralTable + "\" ADD COLUMN central_at timestamptz",
                "CREATE FUNCTION bench_stamp() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN NEW.central_at := clock_timestamp(); RETURN NEW; END $$",
                "CREATE TRIGGER bench_stamp BEFORE INSERT OR UPDATE ON \"" + centralTable
                        + "\" FOR EACH ROW EXECUTE FUNCTION bench_stamp()");
        String startTs = scalar(SRC, "SELECT localtimestamp::text");
        int ticksPerSecond = 10;
        int perTick = Math.max(2, steadyRate / ticksPerSecond);
        int inserts = perTick / 2;
        int updates = perTick - inserts;
        long nextId = rows + 1;
        long written = 0;
        try (Connection c = DriverManager.getConnection(PG + SRC, "postgres", ""); Statement s = c.createStatement()) {
            long begin = System.nanoTime();
            for (int tick = 0; tick < steadySeconds * ticksPerSecond; tick++) {
                long due = begin + tick * 1_000_000_000L / ticksPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                s.executeUpdate("INSERT INTO items SELECT g, gen_random_uuid(), 'item-' || g, repeat(md5(g::text), 3),"
                        + " 1.00, clock_timestamp(), clock_timestamp()::timestamp FROM generate_series(" + nextId + ", " + (nextId + inserts - 1) + ") g");
                nextId += inserts;
                StringBuilder ids = new StringBuilder();
                for (int i = 0; i < updates; i++) {
                    ids.append(i == 0 ? "" : ",").append(ThreadLocalRandom.current().nextLong(1, rows + 1));
                }
                s.executeUpdate("UPDATE items SET amount = amount + 1, updated_at = clock_timestamp()::timestamp WHERE id IN (" + ids + ")");
                written += perTick;
            }
            double achieved = written / secs(begin);
            awaitSynced(source, Duration.ofMinutes(5));
            Map<String, String> lat = one(CENTRAL, "WITH l AS (SELECT extract(epoch FROM (central_at AT TIME ZONE 'UTC') - (doc->>'updated_at')::timestamp) * 1000 AS ms"
                    + " FROM \"" + centralTable + "\" WHERE central_at IS NOT NULL AND (doc->>'updated_at')::timestamp >= '" + startTs + "')"
                    + " SELECT count(*) AS n, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)) AS p50,"
                    + " round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)) AS p99, round(max(ms)) AS max FROM l");
            long expected = Long.parseLong(scalar(SRC, "SELECT count(*) FROM items"));
            check(CENTRAL, "\"" + centralTable + "\"", expected);
            table.add(new String[] {"Tributary steady state: writer " + steadyRate + " rows/s (½ inserts, ½ updates)",
                    "", String.format(Locale.ROOT, "%,.0f", achieved), "",
                    "change-to-central latency p50 " + lat.get("p50") + " ms, p99 " + lat.get("p99") + " ms, max "
                            + lat.get("max") + " ms over " + lat.get("n") + " rows (poll " + pollMs + " ms, safety lag " + safetyLagMs + " ms)"});
        }
    }

    /** Done when the source's stored watermark is the newest row of the table. */
    /**
     * Waits until the source's stored watermark is the newest row. One connection, a check every
     * 50 ms: the harness should not compete with what it measures (a new connection per check is a
     * new PostgreSQL backend process each time).
     */
    void awaitSynced(TributaryProcess source, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String query = "SELECT count(*) FROM tributary_status s JOIN (SELECT id, updated_at FROM items"
                + " ORDER BY updated_at DESC, id DESC LIMIT 1) m ON s.last_key = m.id::text"
                + " AND s.last_ts = m.updated_at WHERE s.source_id = '" + SOURCE_ID + "'";
        try (Connection c = DriverManager.getConnection(PG + SRC, "postgres", "")) {
            c.setAutoCommit(true);
            while (true) {
                if (!source.isAlive() || source.logText().contains("Exhausted after delivery attempt")) {
                    throw new AssertionError("the source failed, see " + source.log() + ":\n" + source.tail(20));
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
                    if (rs.next() && rs.getLong(1) == 1) {
                        return;
                    }
                } catch (SQLException e) {
                    // the status table does not exist before the first checkpoint
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout + " waiting for the source watermark to reach the newest row");
                }
                Thread.sleep(50);
            }
        }
    }

    // ---- processes -----------------------------------------------------------------------------

    TributaryProcess startCentral(int port) throws Exception {
        TributaryProcess.Builder b = TributaryProcess.builder("central").heap(xmx).logDir(out)
                .jvmArg("-Xlog:gc:file=" + out.resolve("central-gc.log"))
                .routes("file:routes/central-import.camel.yaml")
                .property("camel.server.port", String.valueOf(port))
                .property("camel.beans.centralDb.jdbcUrl", PG + CENTRAL)
                .property("camel.beans.centralDb.username", "postgres");
        for (String arg : centralArgs.isBlank() ? new String[0] : centralArgs.trim().split("\\s+")) {
            String[] kv = arg.replaceFirst("^-D", "").split("=", 2);
            b.property(kv[0], kv[1]);
        }
        jvmArgs(b);
        TributaryProcess p = b.start();
        p.awaitStarted(Duration.ofMinutes(2));
        return p;
    }

    TributaryProcess startSource(Path yaml, String phase) {
        TributaryProcess.Builder b = TributaryProcess.builder("source-" + phase).heap(xmx).logDir(out)
                .jvmArg("-Xlog:gc:file=" + out.resolve("source-" + phase + "-gc.log"))
                .routes("file:routes/change-source-template.camel.yaml", "file:" + yaml)
                .property("camel.server.port", String.valueOf(freePort()));
        jvmArgs(b);
        return b.start();
    }

    /** {@code --jvm-args}: extra options for both Tributary JVMs (a GC choice, say). */
    private void jvmArgs(TributaryProcess.Builder b) {
        for (String arg : jvmArgs.isBlank() ? new String[0] : jvmArgs.trim().split("\\s+")) {
            b.jvmArg(arg);
        }
    }

    Path writeSourceYaml(String centralUrl) throws IOException {
        Path yaml = out.resolve("bench-source.camel.yaml");
        Files.writeString(yaml, """
                # Generated by the benchmark: the workload table in timestamp mode.
                - beans:
                    - name: benchSource
                      type: com.zaxxer.hikari.HikariDataSource
                      properties:
                        jdbcUrl: %s
                        username: postgres
                        maximumPoolSize: 4
                - templatedRoute:
                    routeTemplateRef: tributary-change-source
                    parameters:
                      - { name: sourceId, value: "%s" }
                      - { name: dataSource, value: benchSource }
                      - { name: table, value: items }
                      - { name: keyColumn, value: id }
                      - { name: mode, value: timestamp }
                      - { name: timestampColumn, value: updated_at }
                      - { name: safetyLagMs, value: "%d" }
                      - { name: maxChanges, value: "%d" }
                      - { name: batchSize, value: "%d" }
                      - { name: parallelBatches, value: "%d" }
                      - { name: poll, value: "timer:bench?period=%d&delay=0" }
                      - { name: centralUrl, value: "%s" }
                      - { name: collection, value: "%s" }
                """.formatted(PG + SRC, SOURCE_ID, safetyLagMs, maxChanges, batchSize, parallelBatches, pollMs, centralUrl, COLLECTION));
        return yaml;
    }

    /** The collection is created first, as an operator would (sources never create collections). */
    void createCollection(String centralUrl) {
        CentralCollection.create(centralUrl, COLLECTION);
    }

    void memory(String name, TributaryProcess p) throws IOException, InterruptedException {
        long rssKb = p.peakRssKb();
        String live = liveHeapAfterFullGc(name, p);
        StringBuilder heap = new StringBuilder(live);
        try (var logs = Files.list(out)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith(name) && f.toString().endsWith("-gc.log")).sorted().toList()) {
                heap.append(GcLog.summary(log)).append("; ");
            }
        }
        table.add(new String[] {"Tributary " + name + " process memory (-Xmx" + xmx + ")", "", "", "",
                "peak RSS " + rssKb / 1024 + " MB (VmHWM, last process); " + heap});
    }

    /**
     * The live heap at the end: a full GC forced with {@code jcmd <pid> GC.run}, read from the GC log.
     * The after-GC figures of young collections also count old-generation garbage not yet collected.
     */
    String liveHeapAfterFullGc(String name, TributaryProcess p) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(p.pid()), "GC.run").redirectErrorStream(true).start();
        String answer = new String(jcmd.getInputStream().readAllBytes()).strip();
        if (jcmd.waitFor() != 0) {
            System.out.println("  jcmd GC.run failed for " + name + ": " + answer);
        }
        Thread.sleep(500);
        String last = null;
        try (var logs = Files.list(out)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith(name) && f.toString().endsWith("-gc.log")).toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains("Pause Full (Diagnostic Command)")) {
                        last = line;
                    }
                }
            }
        }
        if (last == null) {
            return "";
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("->(\\d+)M").matcher(last);
        return m.find() ? "live heap after a full GC at the end " + m.group(1) + " MB; " : "";
    }

    // ---- output ------------------------------------------------------------------------------

    void row(String figure, double seconds, double rate, String note) {
        table.add(new String[] {figure, String.format(Locale.ROOT, "%.2f", seconds), String.format(Locale.ROOT, "%,.0f", rate),
                copyRate > 0 ? String.format(Locale.ROOT, "%.2f", rate / copyRate) : "", note});
        System.out.printf("  %s: %.2fs, %,.0f rows/s%n", figure, seconds, rate);
    }

    void print() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%,d rows; %s; -Xmx%s per Tributary process; maxChanges=%d batchSize=%d parallelBatches=%d poll=%dms safetyLag=%dms%n%n",
                rows, machine(), xmx, maxChanges, batchSize, parallelBatches, pollMs, safetyLagMs));
        sb.append("| figure | seconds | rows/s | × COPY | notes |\n|---|---:|---:|---:|---|\n");
        for (String[] r : table) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        notes.forEach(n -> sb.append("\n").append(n));
        System.out.println(sb);
        Files.writeString(out.resolve("results.md"), sb);
        System.out.println("Logs, GC logs" + (profile ? ", JFR recordings" : "") + " and results.md: " + out);
    }

    static String machine() {
        try {
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
            return Runtime.getRuntime().availableProcessors() + " cores, " + mem + ", "
                    + scalar("postgres", "SHOW server_version") + " PostgreSQL";
        } catch (Exception e) {
            return "?";
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    static void step(String what) {
        System.out.println("== " + what);
    }

    static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String ms(Duration d) {
        return d.toMillis() + " ms";
    }

    static double shell(String command) throws Exception {
        long t = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + command);
        }
        return secs(t);
    }

    static void admin(String... statements) throws SQLException {
        sql("postgres", statements);
    }

    static void sql(String db, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + db, "postgres", ""); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    static String scalar(String db, String query) throws SQLException {
        Map<String, String> r = one(db, query);
        return r.isEmpty() ? null : r.values().iterator().next();
    }

    static Map<String, String> one(String db, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + db, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            Map<String, String> row = new LinkedHashMap<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
            }
            return row;
        }
    }

    static void check(String db, long expected) throws SQLException {
        check(db, "items", expected);
    }

    static void check(String db, String table, long expected) throws SQLException {
        long n = Long.parseLong(scalar(db, "SELECT count(*) FROM " + table));
        if (n != expected) {
            throw new AssertionError(db + "." + table + " has " + n + " rows, expected " + expected);
        }
    }

    static int freePort() {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Heap figures from a {@code -Xlog:gc} file: peak before and after GC, and after-GC peaks of each half. */
    static final class GcLog {
        private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

        static String summary(Path log) throws IOException {
            List<long[]> gcs = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    gcs.add(new long[] {mb(m.group(1), m.group(2)), mb(m.group(3), m.group(4))});
                }
            }
            if (gcs.isEmpty()) {
                return log.getFileName() + ": no GC";
            }
            long before = 0;
            long firstHalf = 0;
            long secondHalf = 0;
            for (int i = 0; i < gcs.size(); i++) {
                before = Math.max(before, gcs.get(i)[0]);
                if (i < gcs.size() / 2) {
                    firstHalf = Math.max(firstHalf, gcs.get(i)[1]);
                } else {
                    secondHalf = Math.max(secondHalf, gcs.get(i)[1]);
                }
            }
            return String.format(Locale.ROOT, "%s: %d GCs, peak heap %d MB, after GC max %d MB (1st half) / %d MB (2nd half)",
                    log.getFileName().toString().replace("-gc.log", ""), gcs.size(), before, firstHalf, secondHalf);
        }

        private static long mb(String n, String unit) {
            long v = Long.parseLong(n);
            return switch (unit) {
                case "K" -> v / 1024;
                case "G" -> v * 1024;
                default -> v;
            };
        }
    }

    /** A JFR recording of both processes around one phase (--profile); summarised by bench/profile-summary.sh. */
    record JfrRecording(Path dir, String name, List<TributaryProcess> processes) {
        static JfrRecording start(Path dir, String name, TributaryProcess... processes) throws Exception {
            for (TributaryProcess p : processes) {
                jcmd(p, "JFR.start", "name=" + name, "settings=profile");
            }
            return new JfrRecording(dir, name, List.of(processes));
        }

        void stop() throws Exception {
            int i = 0;
            for (TributaryProcess p : processes) {
                Path file = dir.resolve(name + "-" + (i++ == 0 ? "central" : "source") + ".jfr");
                jcmd(p, "JFR.stop", "name=" + name, "filename=" + file);
                System.out.println("  JFR recording: " + file);
            }
        }

        private static void jcmd(TributaryProcess p, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("jcmd", String.valueOf(p.pid())));
            cmd.addAll(List.of(args));
            Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(j.getInputStream().readAllBytes());
            if (j.waitFor() != 0) {
                throw new IllegalStateException("jcmd failed: " + output);
            }
        }
    }
}
