package io.tributary.central;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A plain HTTP client for the central endpoint, as any ArangoDB import client would talk to it. */
public final class CentralClient {

    public record Response(int status, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private String authorization;

    public CentralClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public CentralClient credentials(String user, String password) {
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public Response post(String pathAndQuery, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** Sent chunked, without a Content-Length. */
    public Response postStream(String pathAndQuery, byte[] body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))), headers);
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    public Response send(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private static final java.util.regex.Pattern SAMPLE = java.util.regex.Pattern.compile("^(tributary_\\S+) (\\S+)$",
            java.util.regex.Pattern.MULTILINE);

    /** Tributary's own series of {@code /observe/metrics}, by name with labels, e.g. {@code tributary_jobs_running{kind="sync"}}. */
    public java.util.Map<String, Double> metrics() {
        java.util.Map<String, Double> values = new java.util.HashMap<>();
        java.util.regex.Matcher m = SAMPLE.matcher(get("/observe/metrics").body());
        while (m.find()) {
            values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return values;
    }

    public Response method(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private Response send(HttpRequest.Builder request, String... headers) {
        request.header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
