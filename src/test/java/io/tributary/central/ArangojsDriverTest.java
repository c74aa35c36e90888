package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official ArangoDB JavaScript driver (arangojs, exact version in src/test/js/arangojs/package-lock.json)
 * against a real Tributary with a password set: {@code driver-test.mjs} asserts the driver's results,
 * this test the rows in the central store. Needs node and npm on the PATH (CI has them): without them
 * the test fails, it is not skipped.
 */
class ArangojsDriverTest extends ProtectedCentralTestBase {

    private static final Path PROJECT = Path.of("src/test/js/arangojs");
    /** Where the lock file's hash of the last {@code npm ci} is kept, so an unchanged lock installs once. */
    private static final Path INSTALLED_LOCK = PROJECT.resolve("node_modules/.tributary-installed-lock.sha256");

    @Test
    void arangojsWorksUnchanged() throws Exception {
        installDriver();
        run(120, "node", "driver-test.mjs", "http://127.0.0.1:" + port, "root", PASSWORD);

        assertThat(rows("js_people")).isEqualTo(11);
        assertThat(storedRow("js_people", "john").get("age").asInt()).isEqualTo(36);
        assertThat(storedRow("js_people", "john").get("address").toString()).isEqualTo("{\"city\":\"Oslo\",\"zip\":\"0150\"}");
        assertThat(storedRow("js_people", "lena").has("name")).as("null in headers+values means absent").isFalse();
        assertThat(storedRow("js_people", "katie").get("role").asText()).isEqualTo("admin");
        assertThat(storedRow("js_people", "katie").has("name")).isFalse();
        assertThat(storedRow("js_people", "mike").get("age").asInt()).as("onDuplicate=ignore kept it").isEqualTo(40);
        assertThat(storedRow("js_people", "zoe").toString()).contains("\"name\":\"Zoe R\"", "\"age\":8");
        assertThat(storedRow("js_people", "x1")).as("removed").isNull();
    }

    /** {@code npm ci} when node_modules is missing or was installed from another lock file. */
    private static void installDriver() throws Exception {
        String lock = sha256(Files.readAllBytes(PROJECT.resolve("package-lock.json")));
        if (Files.exists(INSTALLED_LOCK) && Files.readString(INSTALLED_LOCK).equals(lock)) {
            return;
        }
        run(300, "npm", "ci", "--no-audit", "--no-fund");
        Files.writeString(INSTALLED_LOCK, lock);
    }

    private static void run(int timeoutSeconds, String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run '" + command[0] + "': node and npm must be installed to test the"
                    + " arangojs driver (" + e.getMessage() + ")", e);
        }
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
                lines.lines().forEach(line -> {
                    synchronized (output) {
                        output.add(line);
                    }
                });
            } catch (IOException e) {
                synchronized (output) {
                    output.add("(output unreadable: " + e.getMessage() + ")");
                }
            }
        });
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join(5000);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                    + String.join("\n", output));
        }
        reader.join(5000);
        synchronized (output) {
            assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + String.join("\n", output)).isZero();
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
