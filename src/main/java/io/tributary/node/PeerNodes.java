package io.tributary.node;

import io.tributary.http.ApiException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The other Tributary nodes a sync job may read from ({@code tributary.sync.peers}): a job naming any other
 * URL is refused before a connection is made, so sync cannot probe hosts and ports, and the credentials of a
 * job are only ever sent to a configured node. URLs are compared by scheme, host (as written, no DNS) and port.
 */
public final class PeerNodes {

    public static final String PROPERTY = "tributary.sync.peers";

    private final Set<String> origins = new LinkedHashSet<>();

    /** @param peers comma-separated node URLs, e.g. {@code http://node-b:8529,https://node-c:8529}; empty: none */
    public PeerNodes(String peers) {
        for (String peer : (peers == null ? "" : peers).split(",")) {
            if (!peer.isBlank()) {
                String origin = origin(peer.trim());
                if (origin == null) {
                    throw new IllegalArgumentException(PROPERTY + ": '" + peer.trim() + "' is not a node URL such as"
                            + " http://node-b:8529 (scheme, host and port; no path, no credentials)");
                }
                origins.add(origin);
            }
        }
    }

    /**
     * {@code source.url} of a job reading another node (a sync's, a backup's), checked for its form: a 400
     * unless it is an http(s) URL without credentials. Whether it is a configured peer, {@link #check} says.
     */
    public static String requireUrl(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getUserInfo() == null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.badParameter("'source.url' must be an http(s) URL of a Tributary node, e.g. http://host:8529,"
                + " without credentials (give source.username and source.password)");
    }

    /** 403 unless the URL (the job's field {@code field}) names a configured peer. */
    public void check(String field, String url) {
        String origin = origin(url);
        if (origin == null || !origins.contains(origin)) {
            throw new ApiException(403, ApiException.FORBIDDEN, field + " '" + url + "' is not a configured peer"
                    + " node: add it to " + PROPERTY + " (comma-separated URLs, e.g. http://node-b:8529)");
        }
    }

    /** {@code scheme://host:port} with the default port filled in; null for anything but a bare http(s) node URL. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || !(path.isEmpty() || path.equals("/"))) {
                return null;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
