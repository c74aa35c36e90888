package io.tributary.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * Another Tributary node's collection as one job talks to it: requests to its sync API
 * ({@code /_api/tributary/sync/<collection>...}) with the same Basic credentials as its import endpoint, each
 * bounded by the job's remaining wait time and abandoned when the job is cancelled. A failed request ends
 * the job with a fixed text naming the source's URL as configured, never the remote's answer. Counts the
 * bytes sent and received.
 */
public final class SourceNode {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Reads a streamed answer ({@link #stream}). */
    public interface StreamedAnswer<T> {
        T read(InputStream in) throws IOException;
    }

    private final NodeClient node;
    /** The source node's URL as configured: errors name it, never the remote's answer. */
    private final String origin;
    private final String base;
    private final String countPath;
    private final JobControl control;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    /**
     * @param url        the source node, e.g. {@code http://central-a:8529}
     * @param database   the source database ({@code _system} by default)
     * @param collection the source collection, validated by the caller
     */
    public SourceNode(String url, String database, String collection, String username, String password,
                      JobControl control) {
        // no password, no header: a node without a password accepts anonymous requests
        this.node = new NodeClient(url, password == null || password.isEmpty() ? new NodeCredentials(null, null)
                : new NodeCredentials(username == null ? "root" : username, password), CONNECT_TIMEOUT);
        this.origin = node.url();
        this.base = "/_db/" + database + "/_api/tributary/sync/" + collection;
        this.countPath = "/_db/" + database + "/_api/collection/" + collection + "/count";
        this.control = control;
    }

    /** The source node's URL as configured, as errors name it. */
    public String origin() {
        return origin;
    }

    /** The source collection's sync API, as errors about its answers name it. */
    public String collectionUrl() {
        return origin + base;
    }

    /** The number of documents in the source collection. */
    public long count() {
        return send("GET", countPath, null, false).path("count").asLong();
    }

    /** @param path below the collection's sync API, with its query, e.g. {@code /ranges?chunks=8} */
    public JsonNode get(String path) {
        return send("GET", base + path, null, false);
    }

    /**
     * @param path         below the collection's sync API, e.g. {@code /documents}
     * @param body         the request's JSON ({@link NodeClient#json})
     * @param quoteRefusal a 400 answer's message is the job's error (the source judged the selection)
     */
    public JsonNode post(String path, byte[] body, boolean quoteRefusal) {
        return send("POST", base + path, body, quoteRefusal);
    }

    /**
     * Posts {@code body} and hands the answer to {@code read} as it arrives; the answer is closed after. A failed
     * request, and a {@link CancellationException} while reading, end the job as {@link #post} says; what
     * {@code read} throws otherwise passes through.
     */
    public <T> T stream(String path, byte[] body, StreamedAnswer<T> read) throws IOException {
        control.check();
        String full = base + path;
        try (InputStream in = node.stream("POST", full, body, control.remaining(), control::isCancelled)) {
            count(full, body, 0);
            return read.read(in);
        } catch (NodeErrorAnswer | NodeUnreachable | CancellationException e) {
            throw failure(full, body, e, false);
        }
    }

    public long bytesReceived() {
        return received.get();
    }

    public long bytesSent() {
        return sent.get();
    }

    private JsonNode send(String method, String path, byte[] body, boolean quoteRefusal) {
        control.check();
        NodeClient.Answer answer;
        try {
            answer = node.send(method, path, body, control.remaining(), control::isCancelled);
        } catch (NodeErrorAnswer | NodeUnreachable | CancellationException e) {
            throw failure(path, body, e, quoteRefusal);
        }
        count(path, body, answer.body().length);
        try {
            return answer.json();
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Source " + origin + " answered HTTP 200 with a body that is not JSON"
                    + " (not a Tributary node?)");
        }
    }

    /** What a failed request ends the job with. */
    private RuntimeException failure(String path, byte[] body, RuntimeException e, boolean quoteRefusal) {
        if (e instanceof NodeErrorAnswer answer) {
            count(path, body, answer.bodyBytes());
            if (quoteRefusal && answer.status() == 400 && !answer.errorMessage().isEmpty()) {
                // the source's judgement of the selection (an attribute no document has, a date that is none)
                return new IllegalStateException("Source " + origin + " refused the selection: "
                        + ApiException.printable(answer.errorMessage(), 300));
            }
            return new IllegalStateException("Source " + origin + " answered HTTP " + answer.status() + ": "
                    + meaning(answer.status()));
        }
        if (e instanceof NodeUnreachable unreachable) {
            if (unreachable.timedOut()) {
                return control.isCancelled() ? control.stopped() : control.timeout();
            }
            // the cause's message may quote what the other side sent (a database's greeting): not shown
            return new IllegalStateException("Source " + origin + (unreachable.getCause() instanceof ConnectException
                    ? " cannot be reached (connection failed)" : unreachable.getCause() instanceof SSLException
                    ? " failed the TLS handshake" : " did not answer as a Tributary node over HTTP"));
        }
        return control.stopped();
    }

    private void count(String path, byte[] body, int answerBytes) {
        sent.addAndGet((body == null ? 0 : body.length) + origin.length() + path.length());
        received.addAndGet(answerBytes);
    }

    /**
     * A fixed description per status: the remote's own words are never repeated, so a job's error cannot
     * carry what some other service at that address sent.
     */
    private static String meaning(int status) {
        return switch (status) {
            case 401 -> "credentials refused (check the source username and password)";
            case 403 -> "forbidden";
            case 404 -> "no such database or collection there (or not a Tributary node)";
            case 400 -> "request refused (is the source node running the same Tributary version?)";
            case 413 -> "request too large";
            case 503 -> "unavailable (stopping or overloaded)";
            default -> status >= 500 ? "the source node failed" : "unexpected answer";
        };
    }
}
