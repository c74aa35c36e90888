package io.tributary.distribution;

import io.tributary.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A command started the way a user types it, its output in a file, stopped as a whole process tree. */
final class StartedCommand implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String command;
    private final Process process;
    private final Path log;

    private StartedCommand(String command, Process process, Path log) {
        this.command = command;
        this.process = process;
        this.log = log;
    }

    static StartedCommand start(List<String> command, Path workDir, Map<String, String> environment, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new StartedCommand(String.join(" ", command), builder.start(), log);
    }

    /** The program the started process runs now (after any {@code exec}), and how many child processes it has. */
    String program() {
        return process.info().command().orElse("?") + " with " + process.descendants().count() + " child processes";
    }

    /** How a command that was run to its end ended. */
    record Finished(int exit, String output) {
    }

    /** Runs {@code command} to its end, failing when it takes longer than {@code timeout}. */
    static Finished run(Path workDir, Duration timeout, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("command-", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n"
                        + Files.readString(output));
            }
            return new Finished(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Until {@code /observe/health/ready} answers 200: the port opens before the routes have started. */
    void awaitReady(int port, Duration timeout) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Await.until("'" + command + "' ready on port " + port, timeout, () -> {
            assertAlive();
            try {
                return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }, this::describe);
    }

    /** The first output line matching {@code pattern}, waiting for it. */
    String awaitLine(Pattern pattern, Duration timeout) {
        String[] found = new String[1];
        Await.until("a line matching " + pattern + " from '" + command + "'", timeout, () -> {
            assertAlive();
            String output = output();
            Matcher m = pattern.matcher(output);
            if (m.find()) {
                int start = output.lastIndexOf('\n', m.start()) + 1;
                int end = output.indexOf('\n', m.end());
                found[0] = output.substring(start, end < 0 ? output.length() : end);
                return true;
            }
            return false;
        }, this::describe);
        return found[0];
    }

    /** SIGTERM to every process of the tree, children first; true when all of them ended within {@code timeout}. */
    boolean stop(Duration timeout) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (ProcessHandle p : tree) {
            ended &= p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join().isAlive() == false;
        }
        return ended;
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describe() {
        List<String> lines = output().lines().toList();
        return "\n--- last output of '" + command + "' (" + log + ") ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("'" + command + "' exited with " + process.exitValue() + describe());
        }
    }

    @Override
    public String toString() {
        return command;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
