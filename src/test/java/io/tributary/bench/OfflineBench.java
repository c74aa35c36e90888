package io.tributary.bench;

import static io.tributary.bench.Benchmark.PG;
import static io.tributary.bench.Benchmark.admin;
import static io.tributary.bench.Benchmark.check;
import static io.tributary.bench.Benchmark.scalar;
import static io.tributary.bench.Benchmark.secs;
import static io.tributary.bench.Benchmark.shell;
import static io.tributary.bench.Benchmark.sql;
import static io.tributary.bench.Benchmark.step;

import com.zaxxer.hikari.HikariDataSource;
import io.tributary.job.JobControl;
import io.tributary.offline.Backup;
import io.tributary.offline.BackupReport;
import io.tributary.offline.BackupSpec;
import io.tributary.offline.Restore;
import io.tributary.offline.RestoreReport;
import io.tributary.offline.RestoreSpec;
import io.tributary.offline.RestoreTarget;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The bench line of issue 12, run by {@code bench/offline-bench.sh}: backup and restore of one PostgreSQL
 * table of N rows by Tributary (Java API, each in its own {@code -Xmx256m} JVM), next to {@code pg_dump
 * --data-only}, its {@code psql} restore and {@code COPY FROM} of the same rows, measured in the same run.
 * Prints one table with the targets; no timed assertions (no test runs it). See docs/performance.md.
 */
public final class OfflineBench {

    static final String SRC = "bench_offline_src";
    static final String DST = "bench_offline_dst";
    static final String CONN = "-h 127.0.0.1 -U postgres -X -q";
    static final String NAME = "items-bench";

    long rows = 1_000_000;
    String xmx = "256m";
    String jvmArgs = "-XX:+UseParallelGC";
    /** A JFR recording of each Tributary process, {@code <what>.jfr} next to its log (bench/profile-summary.sh). */
    boolean profile;
    Path out;

    private final List<String[]> table = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args);
            return;
        }
        OfflineBench b = new OfflineBench();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rows" -> { b.rows = Long.parseLong(v.replace("_", "")); i++; }
                case "--xmx" -> { b.xmx = v; i++; }
                case "--jvm-args" -> { b.jvmArgs = v; i++; }
                case "--profile" -> b.profile = true;
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + " (see bench/offline-bench.sh --help)");
            }
        }
        b.out = Path.of("target", "bench", "offline-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        Files.createDirectories(b.out.resolve("backups"));
        b.run();
    }

    void run() throws Exception {
        System.out.printf("Tributary offline benchmark: %,d rows, -Xmx%s %s per Tributary process; output %s%n", rows, xmx, jvmArgs, out);
        for (String db : List.of(SRC, DST)) {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db);
        }
        step("generate workload");
        long t = System.nanoTime();
        sql(SRC, Benchmark.TABLE_DDL, Benchmark.insertItems(rows), "VACUUM ANALYZE items");
        sql(DST, Benchmark.TABLE_DDL);
        System.out.printf("  %,d rows in %.1fs, table size %s%n", rows, secs(t), scalar(SRC, "SELECT pg_size_pretty(pg_table_size('items'))"));

        // ---- backup side: everything reads the same table into a file
        Path dump = out.resolve("items.sql");
        Path copy = out.resolve("items.copy");
        step("pg_dump --data-only");
        double dumpSecs = timed("pg_dump -h 127.0.0.1 -U postgres --data-only -t items " + SRC + " > " + dump);
        double dumpRate = rows / dumpSecs;
        row("pg_dump --data-only -t items to a file", dumpSecs, dumpRate, 1.0, "the backup baseline; " + mb(dump));
        step("pg_dump --data-only | gzip -1");
        double gzSecs = timed("pg_dump -h 127.0.0.1 -U postgres --data-only -t items " + SRC + " | gzip -1 > " + dump + ".gz");
        row("pg_dump --data-only -t items \\| gzip -1 to a file", gzSecs, rows / gzSecs, rows / gzSecs / dumpRate, mb(Path.of(dump + ".gz")));
        step("COPY TO a file");
        double copyToSecs = timed("psql " + CONN + " -d " + SRC + " -c 'COPY items TO STDOUT' > " + copy);
        row("COPY items TO STDOUT to a file", copyToSecs, rows / copyToSecs, rows / copyToSecs / dumpRate, mb(copy));
        step("Tributary backup");
        Child backup = child("backup");
        double backupRate = rows / backup.seconds;
        row("**Tributary backup** (zstd JSON Lines, level 1: the default; partitioned by day of updated_at)", backup.seconds,
                backupRate, backupRate / dumpRate, mb(out.resolve("backups").resolve(NAME)) + "; " + backup.describe());
        step("Tributary backup, compression gzip");
        Child gzip = child("backup-gzip");
        double gzipRate = rows / gzip.seconds;
        row("**Tributary backup, `compression: gzip`** (level 1)", gzip.seconds, gzipRate,
                gzipRate / dumpRate, mb(out.resolve("backups").resolve(NAME + "-gzip")) + "; " + gzip.describe());
        targets.add(target("backup ≥ 0.5 × pg_dump --data-only", backupRate / dumpRate, 0.5)
                + String.format(Locale.ROOT, "; with compression gzip: %.2f ×", gzipRate / dumpRate));

        // ---- restore side: everything fills the same empty table (with its primary key)
        step("psql restore of the pg_dump file");
        double psqlSecs = timed("psql " + CONN + " -d " + DST + " -f " + dump + " >/dev/null");
        check(DST, rows);
        empty();
        step("COPY FROM a file");
        double copySecs = timed("psql " + CONN + " -d " + DST + " -c 'COPY items FROM STDIN' < " + copy);
        check(DST, rows);
        double copyRate = rows / copySecs;
        row("psql -f of the pg_dump file into an empty table (PK)", psqlSecs, rows / psqlSecs, rows / psqlSecs / copyRate, "");
        row("COPY items FROM STDIN of the COPY file into an empty table (PK)", copySecs, copyRate, 1.0,
                "the storage limit: the restore baseline");
        empty();
        step("Tributary restore");
        Child restore = child("restore");
        check(DST, rows);
        String differ = scalar(SRC, "SELECT md5(string_agg(id || uid::text || name || body || amount || created_at || updated_at, ',' ORDER BY id)) FROM items");
        if (!differ.equals(scalar(DST, "SELECT md5(string_agg(id || uid::text || name || body || amount || created_at || updated_at, ',' ORDER BY id)) FROM items"))) {
            throw new AssertionError("the restored table differs from the source");
        }
        double restoreRate = rows / restore.seconds;
        row("**Tributary restore** into an empty table (PK): verify, compare, insert", restore.seconds, restoreRate,
                restoreRate / copyRate, restore.describe());
        targets.add(target("restore ≥ 0.5 × COPY FROM", restoreRate / copyRate, 0.5));
        long peak = Math.max(Math.max(backup.peakMb, gzip.peakMb), restore.peakMb);
        targets.add(String.format(Locale.ROOT, "peak heap < 256 MB (-Xmx%s): %d MB: %s", xmx, peak, peak < 256 ? "met" : "not met"));
        print();
        admin("DROP DATABASE " + SRC + " WITH (FORCE)", "DROP DATABASE " + DST + " WITH (FORCE)");
    }

    /** Empties the target and lets the next phase start without dirty buffers of the previous one. */
    void empty() throws Exception {
        sql(DST, "TRUNCATE items", "VACUUM items");
        admin("CHECKPOINT");
    }

    static double timed(String command) throws Exception {
        admin("CHECKPOINT");
        return shell(command);
    }

    // ---- the Tributary JVM -----------------------------------------------------------------------

    /** What a child JVM reported: the work's seconds (without JVM start-up), its heap, its GC log. */
    record Child(double seconds, double wallSeconds, long peakMb, long polledMb, String gc, String report) {
        String describe() {
            return String.format(Locale.ROOT, "JVM %.1f s with start-up; peak heap %d MB (GC log), %d MB (polled); %s; %s",
                    wallSeconds, peakMb, polledMb, gc, report);
        }
    }

    Child child(String what) throws Exception {
        admin("CHECKPOINT");
        Path log = out.resolve(what + ".log");
        Path gcLog = out.resolve(what + "-gc.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-Duser.timezone=UTC", "-Xlog:gc:file=" + gcLog));
        for (String arg : jvmArgs.isBlank() ? new String[0] : jvmArgs.trim().split("\\s+")) {
            cmd.add(arg);
        }
        if (profile) {
            cmd.add("-XX:StartFlightRecording=filename=" + out.resolve(what + ".jfr") + ",settings=profile");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OfflineBench.class.getName(), "child", what,
                out.resolve("backups").toString()));
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        double wall = secs(t);
        List<String> lines = Files.readAllLines(log);
        String result = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
        if (rc != 0 || result == null) {
            throw new IllegalStateException("Tributary " + what + " failed (exit " + rc + "), see " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        String[] r = result.split(" ", 4);
        String gc = Benchmark.GcLog.summary(gcLog);
        long peak = Math.max(Long.parseLong(r[2]), gcPeakMb(gcLog));
        return new Child(Double.parseDouble(r[1]), wall, peak, Long.parseLong(r[2]), gc.substring(gc.indexOf(':') + 2), r[3]);
    }

    /** The heap just before the fullest collection: the most the heap held. */
    static long gcPeakMb(Path gcLog) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("peak heap (\\d+) MB").matcher(Benchmark.GcLog.summary(gcLog));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** In the child JVM: one backup or restore through the Java API; prints {@code RESULT seconds polledPeakMb report}. */
    static void child(String[] args) throws Exception {
        String what = args[1];
        Path root = Path.of(args[2]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong polled = new AtomicLong();
        Thread poller = new Thread(() -> {
            while (true) {
                polled.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-poller");
        poller.setDaemon(true);
        poller.start();
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(PG + (what.startsWith("backup") ? SRC : DST));
            ds.setUsername("postgres");
            ds.setMaximumPoolSize(2);
            long t = System.nanoTime();
            String report;
            if (what.startsWith("backup")) {
                boolean gzip = what.equals("backup-gzip");
                BackupSpec spec = BackupSpec.parse("{\"source\":{\"dataSource\":\"bench\",\"table\":\"items\",\"keyColumn\":\"id\"},"
                        + "\"name\":\"" + NAME + (gzip ? "-gzip\",\"compression\":\"gzip\"" : "\"")
                        + ",\"partitionBy\":{\"by\":\"day\",\"column\":\"updated_at\"}}");
                BackupReport done = Backup.ofTable(root, spec, ds).run(new JobControl(0));
                report = done.partitions().size() + " partition file(s)";
            } else {
                RestoreSpec spec = RestoreSpec.parse("{\"name\":\"" + NAME + "\",\"target\":{\"dataSource\":\"bench\",\"table\":\"items\"}}");
                RestoreReport done = new Restore(root, spec, RestoreTarget.table(ds, "items")).run(new JobControl(0));
                report = done.partitions().stream().mapToLong(RestoreReport.Partition::written).sum() + " rows written";
            }
            double s = secs(t);
            polled.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            System.out.printf(Locale.ROOT, "RESULT %.3f %d %s%n", s, polled.get() >> 20, report);
        }
    }

    // ---- output ----------------------------------------------------------------------------------

    void row(String figure, double seconds, double rate, double ratio, String note) {
        table.add(new String[] {figure, String.format(Locale.ROOT, "%.2f", seconds), String.format(Locale.ROOT, "%,.0f", rate),
                String.format(Locale.ROOT, "%.2f", ratio), note});
        System.out.printf("  %s: %.2fs, %,.0f rows/s%n", figure, seconds, rate);
    }

    static String target(String what, double ratio, double wanted) {
        return String.format(Locale.ROOT, "%s: %.2f × (%s)", what, ratio, ratio >= wanted ? "met" : "not met");
    }

    static String mb(Path p) throws Exception {
        long bytes;
        if (Files.isDirectory(p)) {
            try (Stream<Path> all = Files.walk(p)) {
                bytes = all.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
        } else {
            bytes = Files.size(p);
        }
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    void print() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%,d rows; %d cores; PostgreSQL %s; -Xmx%s %s per Tributary process%n%n",
                rows, Runtime.getRuntime().availableProcessors(), scalar(SRC, "SHOW server_version"), xmx, jvmArgs));
        sb.append("| figure | seconds | rows/s | ratio | notes |\n|---|---:|---:|---:|---|\n");
        for (String[] r : table) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        sb.append("\nratio: backup side × pg_dump --data-only to a file, restore side × COPY FROM into an empty table.\n");
        sb.append("\nTargets (issue 12):\n");
        targets.forEach(t -> sb.append("- ").append(t).append('\n'));
        System.out.println(sb);
        Files.writeString(out.resolve("results.md"), sb);
        System.out.println("Logs, GC logs, dump files, the backup and results.md: " + out);
    }
}
