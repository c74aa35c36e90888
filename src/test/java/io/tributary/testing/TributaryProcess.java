package io.tributary.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code io.tributary.TributaryMain} in its own JVM, so a test or the benchmark can kill it with
 * SIGKILL, stop it, restart it, and measure its heap and RSS apart from the harness. Configuration
 * goes in as {@code -D} system properties, which Camel Main applies over application.properties.
 */
public final class TributaryProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final long startNanos = System.nanoTime();
    private volatile long startedNanos;

    private TributaryProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for Camel's "started in" line; returns the JVM-plus-Camel start-up time. */
    public Duration awaitStarted(Duration timeout) {
        Await.until(name + " started (log " + log + ")", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail(40));
            }
            return logText().contains(") started in ");
        });
        startedNanos = System.nanoTime();
        return Duration.ofNanos(startedNanos - startNanos);
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs after " + timeout + ":\n" + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no graceful route stop, in-flight batches are cut wherever they are. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: Camel Main's graceful shutdown. */
    public void stop() {
        process.destroy();
        if (!waitFor()) {
            kill();
        }
    }

    private boolean waitFor() {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Peak resident set size in kB ({@code VmHWM}), read while the process is alive. */
    public long peakRssKb() {
        return procStatus("VmHWM:");
    }

    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return -1;
    }

    public String tail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    /**
     * The product's runtime classpath: the surefire or launcher classpath without test classes, so
     * the child logs with the product's logback.xml and sees no test resources.
     */
    public static String productClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> kept = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isEmpty() && !entry.endsWith("test-classes") && !entry.endsWith("test-classes/")) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    public static final class Builder {
        private final String name;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private String heap = "256m";
        private Path logDir;
        private Path workDir = Path.of("").toAbsolutePath();

        private Builder(String name) {
            this.name = name;
            properties.put("camel.main.routes-reload-enabled", "false");
            properties.put("user.timezone", "UTC");
        }

        public Builder heap(String xmx) {
            this.heap = xmx;
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> values) {
            properties.putAll(values);
            return this;
        }

        /** An environment variable for the child (added to this JVM's environment). */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder routes(String... locations) {
            return property("camel.main.routes-include-pattern", String.join(",", locations));
        }

        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** Where {@code file:application.properties} and relative route paths resolve (default: the current directory). */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public TributaryProcess start() {
            try {
                Path dir = logDir != null ? logDir : Files.createTempDirectory("tributary-proc-");
                Files.createDirectories(dir);
                Path log = dir.resolve(name + "-" + System.currentTimeMillis() + ".log");
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.add("-Xmx" + heap);
                command.addAll(jvmArgs);
                properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
                command.add("-cp");
                command.add(productClasspath());
                command.add("io.tributary.TributaryMain");
                ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(environment);
                return new TributaryProcess(name, pb.start(), log);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
