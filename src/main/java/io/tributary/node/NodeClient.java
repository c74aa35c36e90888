package io.tributary.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Every call from Tributary to another node (a central node, a peer it syncs from) goes through here:
 * the one place that builds the JDK HTTP client, sets the request timeout, adds the Basic credentials,
 * writes and reads JSON with {@link Json#MAPPER}, and turns a non-2xx answer into {@link NodeErrorAnswer}
 * and a missing answer into {@link NodeUnreachable}. The batch posts of sources are camel-http's (a route
 * step), not this class's.
 *
 * <p>HTTP/1.1, what ArangoDB and Tributary's own server speak: no {@code h2c} upgrade headers on the first
 * request. TLS uses the JVM's default trust ({@code javax.net.ssl.trustStore}); an own truststore would be
 * set on the builder here. Redirects are not followed (the client's default), so the credentials go to
 * the configured node only. The password is only ever in the {@code Authorization} header, never in a
 * message: errors name the URL without any user info.
 */
public final class NodeClient {

    private static final BooleanSupplier NEVER = () -> false;
    /** How often a cancellable call looks at its cancel flag while it waits. */
    private static final long CANCEL_CHECK_MS = 200;

    private final HttpClient http;
    private final String url;
    private final NodeCredentials credentials;

    /** @param url the node, e.g. {@code http://central:8529}; a trailing slash is dropped */
    public NodeClient(String url, NodeCredentials credentials, Duration connectTimeout) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /** The node's URL as configured, without a trailing slash. */
    public String url() {
        return url;
    }

    /** The JSON of a request body, written with the product's one mapper. */
    public static byte[] json(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not writable as JSON: " + body.getClass().getName(), e);
        }
    }

    public Answer get(String path, Duration timeout) {
        return send("GET", path, null, timeout, NEVER);
    }

    /** @param json the request body, JSON ({@link #json(Object)}); null: none */
    public Answer send(String method, String path, byte[] json, Duration timeout) {
        return send(method, path, json, timeout, NEVER);
    }

    /**
     * Sends and waits for the answer, at most {@code timeout} from the start of the request.
     *
     * @param cancelled looked at while waiting: once true, the request is abandoned
     * @throws NodeErrorAnswer       the node answered with a status other than 2xx
     * @throws NodeUnreachable       no answer: connection failed, timed out, TLS failed, not HTTP
     * @throws CancellationException {@code cancelled} turned true, or the thread was interrupted (its flag stays set)
     */
    public Answer send(String method, String path, byte[] json, Duration timeout, BooleanSupplier cancelled) {
        HttpResponse<byte[]> response = exchange(method, path, json, timeout, cancelled, HttpResponse.BodyHandlers.ofByteArray());
        Answer answer = new Answer(response.statusCode(), response.body());
        if (answer.status() / 100 != 2) {
            throw new NodeErrorAnswer(method, shown(response.uri()), answer.status(), answer.body());
        }
        return answer;
    }

    /**
     * As {@link #send}, but the answer's body is returned as it arrives, once its 2xx status came; the caller
     * reads and closes it. An error answer's body is read whole, as it is short. Once {@code timeout} from the
     * start of the request has passed or {@code cancelled} turned true, the body is closed, so a read waiting
     * for a node that stopped sending fails (an {@link IOException}) instead of waiting on.
     */
    public InputStream stream(String method, String path, byte[] json, Duration timeout, BooleanSupplier cancelled) {
        HttpResponse<InputStream> response = exchange(method, path, json, timeout, cancelled,
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw new NodeErrorAnswer(method, shown(response.uri()), response.statusCode(), body);
        }
        InputStream body = response.body();
        long deadline = System.nanoTime() + timeout.toNanos();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable[] watch = new Runnable[1];
        watch[0] = () -> {
            if (closed.get()) {
                return;
            }
            if (cancelled.getAsBoolean() || System.nanoTime() > deadline) {
                close(body);
            } else {
                CompletableFuture.runAsync(watch[0], CompletableFuture.delayedExecutor(CANCEL_CHECK_MS, TimeUnit.MILLISECONDS));
            }
        };
        watch[0].run();
        return new FilterInputStream(body) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // closed to end a read: nothing more to do
        }
    }

    private <T> HttpResponse<T> exchange(String method, String path, byte[] json, Duration timeout,
                                         BooleanSupplier cancelled, HttpResponse.BodyHandler<T> handler) {
        URI uri = URI.create(url + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        credentials.authorization().ifPresent(value -> request.header("Authorization", value));
        // asynchronous, so a cancel ends the wait without interrupting the thread (H2 closes files on interrupt)
        CompletableFuture<HttpResponse<T>> pending = http.sendAsync(request.build(), handler);
        while (true) {
            try {
                return pending.get(CANCEL_CHECK_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (cancelled.getAsBoolean()) {
                    pending.cancel(true);
                    throw new CancellationException(method + " " + shown(uri) + " cancelled");
                }
            } catch (ExecutionException e) {
                throw new NodeUnreachable(method, shown(uri), timeout, e.getCause());
            } catch (InterruptedException e) {
                pending.cancel(true);
                Thread.currentThread().interrupt();
                throw new CancellationException(method + " " + shown(uri) + " interrupted");
            }
        }
    }

    /** The URI as errors show it: without user info, so no password can appear there. */
    static String shown(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri.toString();
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** A 2xx answer. */
    public record Answer(int status, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** @throws UncheckedIOException the body is not JSON */
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
