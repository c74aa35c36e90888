package io.tributary.http;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Refuses state-changing requests a browser sends on behalf of another site (cross-site request forgery):
 * a page elsewhere can make a logged-in browser POST a form with the stored Basic credentials. A browser
 * says where a request comes from ({@code Sec-Fetch-Site}, {@code Origin}); clients that send neither
 * (curl, the command line, sources posting their batches) are not affected.
 */
public class CrossSiteRequests {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    /** 403 for a POST, PUT, PATCH or DELETE from another site or origin; reads pass. */
    public void refuse(Message in) {
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        if (method == null || SAFE.contains(method.toUpperCase(Locale.ROOT))) {
            return;
        }
        String fetchSite = in.getHeader("Sec-Fetch-Site", String.class);
        if (fetchSite != null) {
            // set by the browser itself, which a page cannot forge
            if (!fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none")) {
                throw refused("a " + fetchSite + " request");
            }
            return;
        }
        String origin = in.getHeader("Origin", String.class);
        if (origin == null) {
            return;
        }
        String host = hostOf(in.getHeader(Exchange.HTTP_URL, String.class));
        if (host.isEmpty() || !host.equalsIgnoreCase(hostOf(origin))) {
            throw refused("a request from origin " + origin + " to " + host);
        }
    }

    /**
     * Host and port of a URL (the request's own URL is built from its Host header). The scheme is left out so
     * that a proxy ending TLS keeps working; an Origin of "null" (a sandboxed page) matches no host.
     */
    private static String hostOf(String url) {
        if (url == null) {
            return "";
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return "";
        }
        int path = url.indexOf('/', scheme + 3);
        return path < 0 ? url.substring(scheme + 3) : url.substring(scheme + 3, path);
    }

    private static ApiException refused(String what) {
        return new ApiException(403, ApiException.FORBIDDEN, "refusing " + what + " that changes state");
    }
}
