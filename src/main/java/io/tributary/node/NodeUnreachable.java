package io.tributary.node;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * A call to a node got no HTTP answer. The message names the URL (never with credentials) and a fixed
 * reason; the cause, kept for the log and for callers that decide by its type, may quote what the other
 * side sent, so the message does not repeat it.
 */
public final class NodeUnreachable extends RuntimeException {

    NodeUnreachable(String method, String url, Duration timeout, Throwable cause) {
        super(method + " " + url + " " + reason(cause, timeout), cause);
    }

    private static String reason(Throwable cause, Duration timeout) {
        if (cause instanceof HttpTimeoutException) {
            return "timed out (no answer within " + timeout.toMillis() + " ms)";
        }
        if (cause instanceof ConnectException) {
            return "cannot be reached (connection failed)";
        }
        return cause instanceof SSLException ? "failed the TLS handshake" : "got no HTTP answer";
    }

    /** The connection or the answer took longer than the timeout. */
    public boolean timedOut() {
        return getCause() instanceof HttpTimeoutException;
    }
}
