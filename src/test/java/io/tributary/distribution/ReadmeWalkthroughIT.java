package io.tributary.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.testing.TributaryApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first run, as README.md describes it, on a clean copy of the checkout: the run command of
 * "The two commands" and then the walkthrough's commands against it; then the same walkthrough against
 * the packaged distribution's {@code bin/tributary}. Commands are read from the README, not copied here,
 * so a broken README fails the build. They run as written but for a free port instead of 8529, this build's
 * local Maven repository instead of {@code ~/.m2/repository}, and curl's {@code -w} to see the HTTP status.
 * Runs after {@code package} (failsafe), which builds the distribution.
 */
class ReadmeWalkthroughIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHECKOUT = Path.of("").toAbsolutePath();
    private static final Duration FIRST_BATCH_AFTER_READY = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration READY_LINE_AFTER_READY = Duration.ofSeconds(10);

    private final Readme readme = new Readme(CHECKOUT.resolve("README.md"));

    @TempDir
    Path temp;

    ReadmeWalkthroughIT() throws IOException {
    }

    @Test
    void readmeRunCommandOnACleanCopyOfTheCheckout() throws Exception {
        String run = readme.runCommand();
        assertThat(readme.walkthrough()).as("the walkthrough starts with the run command of 'The two commands'")
                .contains("`" + run + "`");
        Path copy = copyOfCheckout(temp.resolve("checkout"));
        int port = TributaryApp.freePort();
        // camel:run runs Camel in Maven's JVM, so a -D system property reaches it; the nested build uses
        // the outer build's local repository, which holds everything it needs
        String command = run + " -Dcamel.server.port=" + port + " '-Dmaven.repo.local=" + property("tributary.it.maven-repo") + "'";
        String mavenBin = Path.of(property("tributary.it.maven-home"), "bin").toString();
        Map<String, String> env = Map.of("PATH", mavenBin + ":" + System.getenv("PATH"));
        try (StartedCommand node = StartedCommand.start(List.of("bash", "-c", command), copy, env, temp.resolve("run.log"))) {
            walkThrough(node, copy, port, Duration.ofSeconds(150));
            assertThat(node.output()).as("the nested build found everything in the local repository")
                    .doesNotContain("Downloading from");
        }
    }

    @Test
    void distributionStartsWithBinTributary() throws Exception {
        Path unpacked = Path.of(property("tributary.it.distribution"));
        assertThat(unpacked.resolve("bin/tributary")).as("built by mvn package").isExecutable();
        Path dist = temp.resolve(unpacked.getFileName());
        try (Stream<Path> files = Files.walk(unpacked)) {
            copyTree(unpacked, dist, files.toList());
        }
        // configured as the README says: in the distribution's application.properties
        int port = TributaryApp.freePort();
        Path properties = dist.resolve("application.properties");
        String configured = Files.readString(properties);
        String edited = configured.replaceFirst("(?m)^camel\\.server\\.port\\s*=.*$", "camel.server.port = " + port);
        assertThat(edited).as("application.properties sets camel.server.port").isNotEqualTo(configured);
        Files.writeString(properties, edited);
        List<String> binTributary = List.of(dist.resolve("bin/tributary").toString());
        try (StartedCommand node = StartedCommand.start(binTributary, dist, Map.of(), temp.resolve("dist.log"))) {
            walkThrough(node, dist, port, Duration.ofSeconds(60), () ->
                    assertThat(node.program()).as("bin/tributary hands its process to java, so signals reach it")
                            .endsWith("/java with 0 child processes"));
        }

        // the tools answer a call without arguments with their usage; a misspelled tool starts no node
        assertThat(usageError(dist, "bin/tributary", "sync")).contains("usage: bin/tributary sync");
        assertThat(usageError(dist, "bin/tributary", "verify")).contains("usage: bin/tributary verify");
        assertThat(usageError(dist, "bin/tributary", "synk")).startsWith("tributary: unknown command 'synk'");
    }

    /** Output of a command expected to fail with a usage error. */
    private static String usageError(Path workDir, String... command) throws IOException, InterruptedException {
        StartedCommand.Finished finished = StartedCommand.run(workDir, COMMAND, command);
        assertThat(finished.exit()).as(String.join(" ", command) + "\n" + finished.output()).isEqualTo(2);
        return finished.output();
    }

    private void walkThrough(StartedCommand node, Path workDir, int port, Duration readyTimeout) throws Exception {
        walkThrough(node, workDir, port, readyTimeout, () -> { });
    }

    /** {@code whenReady} checks the running node once it answers. */
    private void walkThrough(StartedCommand node, Path workDir, int port, Duration readyTimeout, Runnable whenReady)
            throws Exception {
        long started = System.nanoTime();
        node.awaitReady(port, readyTimeout);
        whenReady.run();
        node.awaitLine(Pattern.compile(Pattern.quote(readme.readyLogLine().replace("127.0.0.1:8529", "127.0.0.1:" + port))),
                READY_LINE_AFTER_READY);
        long ready = System.nanoTime();
        String batch = node.awaitLine(readme.batchLogLine(), FIRST_BATCH_AFTER_READY);
        System.out.printf("%s: ready after %d s, first batch %d s later: %s%n", node, seconds(started, ready),
                seconds(ready, System.nanoTime()), batch);
        List<Readme.ShellExample> examples = readme.walkthroughCommands();
        assertThat(examples).as("the walkthrough's sh commands").isNotEmpty();
        for (Readme.ShellExample example : examples) {
            runExample(example, workDir, port);
        }
        assertThat(node.stop(STOP)).as("ended within " + STOP + " of SIGTERM" + node.describe()).isTrue();
    }

    /**
     * curl examples must answer 2xx with the JSON shape the README shows under them; other commands must
     * succeed and print the first line shown under them.
     */
    private void runExample(Readme.ShellExample example, Path workDir, int port) throws Exception {
        String command = example.command().replace("127.0.0.1:8529", "127.0.0.1:" + port)
                .replace("~/.m2/repository", property("tributary.it.maven-repo"));
        boolean curl = command.startsWith("curl ");
        if (curl) {
            command = "curl -w '\\n%{http_code}' " + command.substring("curl ".length());
        }
        StartedCommand.Finished finished = StartedCommand.run(workDir, COMMAND, "bash", "-c", command);
        String output = finished.output();
        assertThat(finished.exit()).as(command + "\n" + output).isZero();
        System.out.println("$ " + command + "\n" + output.strip());
        if (!curl) {
            if (example.shownOutput() != null) {
                assertThat(output).as(command).contains(example.shownOutput());
            }
            return;
        }
        String body = output.substring(0, output.lastIndexOf('\n'));
        int status = Integer.parseInt(output.substring(output.lastIndexOf('\n') + 1).strip());
        assertThat(status).as(command + "\n" + body).isBetween(200, 299);
        if (example.shownOutput() != null) {
            assertSameShape(JSON.readTree(example.shownOutput()), JSON.readTree(body), command);
        }
    }

    /**
     * The same fields with the same JSON types; booleans equal, and strings equal where they echo the request
     * (collection, key, source names), while counts, positions and generated values may differ.
     */
    private static void assertSameShape(JsonNode shown, JsonNode actual, String command) {
        assertThat(actual.isObject()).as(command + " answers a JSON object: " + actual).isTrue();
        List<String> shownFields = new ArrayList<>();
        shown.fieldNames().forEachRemaining(shownFields::add);
        List<String> actualFields = new ArrayList<>();
        actual.fieldNames().forEachRemaining(actualFields::add);
        assertThat(actualFields).as(command + " fields of " + actual).containsExactlyInAnyOrderElementsOf(shownFields);
        for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = actual.get(field.getKey());
            assertThat(value.getNodeType()).as(command + " type of " + field.getKey() + " in " + actual)
                    .isEqualTo(field.getValue().getNodeType());
            if (field.getValue().isBoolean() || (field.getValue().isTextual() && command.contains(field.getValue().asText()))) {
                assertThat(value).as(command + " " + field.getKey() + " in " + actual).isEqualTo(field.getValue());
            }
        }
    }

    /** The files a clean clone would have: what git tracks or would track, or everything but build output and data. */
    private static Path copyOfCheckout(Path target) throws IOException, InterruptedException {
        StartedCommand.Finished git = gitFiles();
        List<Path> files = new ArrayList<>();
        if (git != null && git.exit() == 0) {
            for (String name : git.output().split("\0")) {
                if (!name.isEmpty()) {
                    files.add(CHECKOUT.resolve(name));
                }
            }
        } else {
            try (Stream<Path> all = Files.walk(CHECKOUT)) {
                all.filter(p -> !isBuildOutputOrData(CHECKOUT.relativize(p))).forEach(files::add);
            }
        }
        copyTree(CHECKOUT, target, files);
        return target;
    }

    /** What .gitignore keeps out of a clone. */
    private static boolean isBuildOutputOrData(Path relative) {
        return Stream.of(".git", "target", "data").anyMatch(relative::startsWith)
                || Stream.iterate(relative, p -> p != null, Path::getParent).anyMatch(p -> p.endsWith("node_modules"));
    }

    /** Null where there is no git. */
    private static StartedCommand.Finished gitFiles() throws InterruptedException {
        try {
            return StartedCommand.run(CHECKOUT, COMMAND, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        } catch (IOException e) {
            return null;
        }
    }

    private static void copyTree(Path from, Path to, List<Path> files) throws IOException {
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                Path copy = to.resolve(from.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property " + name + " (set by the failsafe configuration in pom.xml)").isNotBlank();
        return value;
    }

    private static long seconds(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(toNanos - fromNanos);
    }
}
