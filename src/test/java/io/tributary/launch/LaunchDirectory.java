package io.tributary.launch;

import io.tributary.testing.Await;
import io.tributary.testing.TributaryProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A working directory like a user's: the repository's route files without the demo, and an
 * {@code application.properties} the test writes. Plus the two HTTP calls the launch tests make.
 */
final class LaunchDirectory {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path dir;

    LaunchDirectory(Path dir) throws IOException {
        this.dir = dir;
        Path routes = Files.createDirectories(dir.resolve("routes"));
        for (String file : new String[] {"central-import.camel.yaml", "change-log.camel.yaml", "change-source-template.camel.yaml",
                "collection-sync.camel.yaml", "jobs.camel.yaml", "offline.camel.yaml", "source-verify-template.camel.yaml", "source-verify.camel.yaml",
                "two-way.camel.yaml", "two-way-template.camel.yaml", "follower-template.camel.yaml", "followers.camel.yaml"}) {
            Files.copy(Path.of("routes", file), routes.resolve(file));
        }
    }

    LaunchDirectory settings(String... lines) throws IOException {
        Files.writeString(dir.resolve("application.properties"), String.join("\n", lines) + "\n");
        return this;
    }

    /** Waits for the last line of Tributary's start-up summary. */
    static void awaitSummary(TributaryProcess p) {
        p.awaitStarted(Duration.ofSeconds(60));
        Await.until("start-up summary", Duration.ofSeconds(10), () -> p.logText().contains("  routes: "), p::logText);
    }

    /** Body of {@code GET path} without credentials. */
    static String get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Status of {@code GET /_api/collection/nothing/count} with the given password (null: none sent). */
    static int statusWithPassword(int port, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/_api/collection/nothing/count"));
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("root:" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
