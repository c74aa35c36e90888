package io.tributary.http;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line per refused request (4xx, 5xx) of the HTTP server, DEBUG for a {@linkplain ApiException#routine() routine} one: method, path, status, errorNum and
 * ArangoDB's name for it, at most one line per (method, path template, status) per interval, the next
 * line saying how many were left out. Never the query string, headers, body, or the error message: it may
 * quote documents or JSON tokens of the body, and is only answered to the client.
 */
public class RejectedRequests {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedRequests.class);
    /** Methods outside this set are logged as OTHER, so hostile requests cannot grow the window table. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Bounds the window table whatever the requests; when full, old windows are dropped. */
    private static final int MAX_WINDOWS = 1000;

    private long intervalMillis = 60_000;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long openedAt = Long.MIN_VALUE;
        int suppressed;
    }

    /** {@code tributary.central.rejection-log-interval-ms}. */
    public void setIntervalMillis(long intervalMillis) {
        this.intervalMillis = Math.max(0, intervalMillis);
    }

    /**
     * @param template the route's path template ({@code /_api/document/{collection}/{key}}), or
     *                 {@code <unknown>} for paths no route serves, so that scans of random paths share one window
     */
    public void rejected(String method, String template, String path, ApiException refusal) {
        String m = method == null || !METHODS.contains(method.toUpperCase(Locale.ROOT)) ? "OTHER"
                : method.toUpperCase(Locale.ROOT);
        if (refusal.isRoutine()) {
            LOG.debug("Answered {} {}: {} errorNum {} ({})", m, ApiException.printable(path == null ? "" : path, 200),
                    refusal.status(), refusal.errorNum(), refusal.errorName());
            return;
        }
        String key = m + " " + template + " " + refusal.status();
        long now = System.currentTimeMillis();
        int suppressed;
        if (windows.size() >= MAX_WINDOWS && !windows.containsKey(key)) {
            windows.clear();
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            if (w.openedAt != Long.MIN_VALUE && now - w.openedAt < intervalMillis) {
                w.suppressed++;
                return;
            }
            suppressed = w.suppressed;
            w.suppressed = 0;
            w.openedAt = now;
        }
        LOG.warn("Refused {} {}: {} errorNum {} ({}){}", m, ApiException.printable(path == null ? "" : path, 200),
                refusal.status(), refusal.errorNum(), refusal.errorName(),
                suppressed == 0 ? "" : " (" + suppressed + " more like it in the previous " + intervalMillis / 1000.0
                        + " s not logged)");
    }
}
