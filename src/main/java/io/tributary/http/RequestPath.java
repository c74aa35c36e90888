package io.tributary.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The parameters of a request's path, read by position against the path template of the route that
 * received it ({@code /_db/{database}/_api/document/{collection}/{key}}), so a database named
 * {@code document} or a collection named {@code collection} is still read from its own place. Not from
 * the headers platform-http also puts them in: HTTP headers and query parameters share that map and
 * could shadow them. Segments are percent-decoded only, so a {@code +} in a key stays a {@code +}, as
 * in arangod.
 */
public final class RequestPath {

    private RequestPath() {
    }

    /**
     * The path of the platform-http endpoint that received the request, e.g. {@code /_api/document/{collection}/{key}}:
     * the REST path, also in the {@code direct:} route it calls, since an exchange keeps the endpoint it came from.
     */
    public static String template(Exchange exchange) {
        String uri = exchange.getFromEndpoint() == null ? null : exchange.getFromEndpoint().getEndpointUri();
        if (uri == null || !uri.startsWith("platform-http:")) {
            return UnmatchedRequests.UNKNOWN_TEMPLATE;
        }
        String path = uri.substring("platform-http:".length()).replaceFirst("^/+", "/");
        int query = path.indexOf('?');
        return URLDecoder.decode(query < 0 ? path : path.substring(0, query), StandardCharsets.UTF_8);
    }

    /** The value of {@code {name}} in the route's template, percent-decoded; null if the template has no such parameter. */
    public static String parameter(Message in, String name) {
        String[] template = template(in.getExchange()).split("/");
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String[] segments = path == null ? new String[0] : path.split("/");
        String placeholder = "{" + name + "}";
        for (int i = 0; i < template.length; i++) {
            if (template[i].equals(placeholder)) {
                return i < segments.length && template.length == segments.length ? decode(segments[i]) : null;
            }
        }
        return null;
    }

    /** The database of {@code /_db/{database}/...} paths; {@code _system} for the others. */
    public static String database(Message in) {
        return CollectionName.requireDatabase(parameter(in, "database"));
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("malformed percent-escape in the path segment '"
                    + ApiException.printable(segment) + "'");
        }
    }
}
