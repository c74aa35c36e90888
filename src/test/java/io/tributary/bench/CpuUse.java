package io.tributary.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * CPU time spent during one phase of the benchmark, from {@code /proc}: the whole machine (busy and
 * stolen time of {@code /proc/stat}), named processes ({@code utime + stime} of
 * {@code /proc/<pid>/stat}, all threads), and PostgreSQL's processes grouped by what their command
 * line says they serve (a database's backends, autovacuum, WAL and checkpoints). Per row, these
 * figures say what a pipeline costs independently of how well its stages overlap: on {@code cores}
 * cores it cannot move more than {@code cores / cpu-per-row} rows per second.
 */
final class CpuUse {

    /** Busy time that no process still alive at the end accounts for (ended processes, psql, the rest). */
    static final String OTHER = "other";

    /** USER_HZ: the unit of /proc's CPU times, 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long startNanos = System.nanoTime();
    private final long[] machineStart = machine();
    private final Map<String, Long> named;
    private final Map<String, String> databases;
    private final Map<Long, Long> start;
    private final Map<JvmThread, Long> threadStart;

    /** One thread of a named process, and what kind of work it does. */
    private record JvmThread(String process, String tid, String kind) {
    }

    private CpuUse(Map<String, Long> named, Map<String, String> databases) {
        this.named = named;
        this.databases = databases;
        this.start = ticksByPid();
        this.threadStart = ticksByThread();
    }

    /**
     * Starts measuring.
     *
     * @param named     processes to account by name (name to pid); "harness" is left out of the totals
     * @param databases PostgreSQL databases whose backends are grouped under a label (database to label)
     */
    static CpuUse start(Map<String, Long> named, Map<String, String> databases) {
        return new CpuUse(named, databases);
    }

    /** An ordered map of names to pids or labels: {@code ordered("source JVM", pid, ...)}, printed in this order. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> ordered(Object... namesAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], (V) namesAndValues[i + 1]);
        }
        return map;
    }

    /** The harness itself, to leave it out of the totals. */
    static long harnessPid() {
        return ProcessHandle.current().pid();
    }

    /** Seconds of CPU per group since the start, and the machine's busy and stolen time. */
    Result stop(long rows) {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        long[] machineEnd = machine();
        double busy = (machineEnd[0] - machineStart[0]) / TICKS_PER_SECOND;
        double stolen = (machineEnd[1] - machineStart[1]) / TICKS_PER_SECOND;
        Map<Long, Long> end = ticksByPid();
        Map<String, Double> seconds = new LinkedHashMap<>();
        named.keySet().forEach(name -> seconds.put(name, 0.0));
        databases.values().forEach(label -> seconds.put(label, 0.0));
        double accounted = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            String group = group(e.getKey());
            if (group == null) {
                continue;
            }
            double s = Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L)) / TICKS_PER_SECOND;
            seconds.merge(group, s, Double::sum);
            accounted += s;
        }
        seconds.put(OTHER, Math.max(0, busy - accounted));
        Map<String, Map<String, Double>> threads = new HashMap<>();
        ticksByThread().forEach((thread, ticks) -> threads.computeIfAbsent(thread.process(), p -> new TreeMap<>())
                .merge(thread.kind(), Math.max(0, ticks - threadStart.getOrDefault(thread, 0L)) / TICKS_PER_SECOND,
                        Double::sum));
        return new Result(rows, wall, busy, stolen, seconds, threads);
    }

    /** CPU ticks per thread of the named processes. */
    private Map<JvmThread, Long> ticksByThread() {
        Map<JvmThread, Long> ticks = new HashMap<>();
        for (Map.Entry<String, Long> e : named.entrySet()) {
            Path tasks = Path.of("/proc/" + e.getValue() + "/task");
            try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
                for (Path t : threads) {
                    long used = ticks(t.resolve("stat"));
                    if (used >= 0) {
                        ticks.put(new JvmThread(e.getKey(), t.getFileName().toString(), threadKind(t)), used);
                    }
                }
            } catch (IOException ended) {
                // the process has ended
            }
        }
        return ticks;
    }

    /** The JIT compilers, the garbage collector (and VM thread), or the application's own threads. */
    private static String threadKind(Path thread) {
        String name;
        try {
            name = Files.readString(thread.resolve("comm")).strip();
        } catch (IOException e) {
            return "application";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT";
        }
        return name.startsWith("GC Thread") || name.equals("VM Thread") ? "GC" : "application";
    }

    record Result(long rows, double wallSeconds, double busySeconds, double stolenSeconds, Map<String, Double> seconds,
                  Map<String, Map<String, Double>> threads) {

        double microsPerRow(String group) {
            return seconds.getOrDefault(group, 0.0) * 1e6 / rows;
        }

        /** CPU per row of everything but the harness. */
        double totalMicrosPerRow() {
            return (busySeconds - seconds.getOrDefault("harness", 0.0)) * 1e6 / rows;
        }

        /** "GC 0.5, JIT 3.0, application 8.0" (µs per row) for a named process, empty for others. */
        String threadKinds(String process) {
            StringJoiner kinds = new StringJoiner(", ");
            threads.getOrDefault(process, Map.of()).forEach((kind, s) ->
                    kinds.add(String.format(Locale.ROOT, "%s %.1f", kind, s * 1e6 / rows)));
            return kinds.toString();
        }

        String describe() {
            StringBuilder sb = new StringBuilder("CPU per row: ");
            seconds.forEach((group, s) -> {
                if (!group.equals("harness") && s > 0) {
                    sb.append(String.format(Locale.ROOT, "%s %.1f µs", group, s * 1e6 / rows));
                    String kinds = threadKinds(group);
                    sb.append(kinds.isEmpty() ? ", " : " (" + kinds + "), ");
                }
            });
            return sb.append(String.format(Locale.ROOT, "total %.1f µs; %.2f cores busy, %.2f stolen by the hypervisor",
                    totalMicrosPerRow(), busySeconds / wallSeconds, stolenSeconds / wallSeconds)).toString();
        }
    }

    /** The group a live process belongs to, or null when it is none of the accounted ones. */
    private String group(long pid) {
        for (Map.Entry<String, Long> e : named.entrySet()) {
            if (e.getValue() == pid) {
                return e.getKey();
            }
        }
        String cmd = commandLine(pid);
        if (!cmd.startsWith("postgres: ")) {
            return null;
        }
        // a backend's title: "postgres: 15/main: <user> <database> <client> <state>"
        for (Map.Entry<String, String> e : databases.entrySet()) {
            if (cmd.contains(" " + e.getKey() + " ")) {
                return e.getValue();
            }
        }
        return cmd.contains("autovacuum") ? "autovacuum" : "PostgreSQL background (WAL, checkpoints)";
    }

    private Map<Long, Long> ticksByPid() {
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : proc) {
                long pid = Long.parseLong(p.getFileName().toString());
                long t = process(pid);
                if (t >= 0) {
                    ticks.put(pid, t);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ticks;
    }

    /** busy (user, nice, system, irq, softirq) and steal ticks of all CPUs. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return new long[] {busy, Long.parseLong(f[8])};
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** utime + stime of all threads, or -1 when the process is gone. */
    private static long process(long pid) {
        return ticks(Path.of("/proc/" + pid + "/stat"));
    }

    /** utime + stime from a /proc stat file (a process's or one thread's), or -1 when it is gone. */
    private static long ticks(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
