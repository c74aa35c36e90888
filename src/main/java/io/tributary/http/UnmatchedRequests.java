package io.tributary.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;

/**
 * Answers what no route serves with ArangoDB's JSON error body instead of Vert.x's HTML page, which
 * drivers cannot parse: 404 (errorNum 404) for an unknown path, 405 (errorNum 405) for a known path with
 * another method. With a password set, a request without valid credentials gets 401 first, as in
 * ArangoDB, so unknown paths reveal nothing to anonymous clients. A body over the server's limit gets
 * 413 the same way. Each answer is logged by {@link RejectedRequests}.
 */
public class UnmatchedRequests extends RouterHandler {

    /** Shared by every path no route serves: scans of random paths are rate-limited as one. */
    static final String UNKNOWN_TEMPLATE = "<unknown>";
    /** Compiled once per served path, not on every unknown request (scanners send many). */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    /**
     * Platform-http serves from a sub-router whose unmatched requests fall through to Vert.x's own answer,
     * so a last route catches them; it tells 405 from 404 by the served routes' paths.
     */
    @Override
    public void onContextStarted(CamelContext context) {
        Router router = ServerRouter.of(context, port, "to answer unknown paths on");
        Route fallback = router.route().order(Integer.MAX_VALUE);
        fallback.handler(ctx -> answer(ctx, servedWithOtherMethods(router, fallback, ctx)
                ? new ApiException(405, ApiException.METHOD_NOT_ALLOWED, "method " + ctx.request().method().name()
                        + " not allowed on '" + ApiException.printable(ctx.normalizedPath(), 200) + "'")
                : new ApiException(404, ApiException.NOT_FOUND, "unknown path '" + ApiException.printable(ctx.normalizedPath(), 200)
                        + "'; see docs/central-import.md for the served API")));
        // failures Vert.x raises itself, before any route runs: a body over camel.server.maxBodySize
        fallback.failureHandler(ctx -> answer(ctx, ctx.statusCode() == 413
                ? new ApiException(413, 413, "request body exceeds the limit (tributary.central.max-body-bytes); send smaller batches")
                : new ApiException(Math.max(ctx.statusCode(), 500), ApiException.INTERNAL, "request failed in the HTTP server")));
    }

    /** Whether a route with a method restriction serves this path (its {@code :name} segments match any segment). */
    private static boolean servedWithOtherMethods(Router router, Route fallback, RoutingContext ctx) {
        return router.getRoutes().stream().anyMatch(route -> route != fallback && route.methods() != null
                && !route.methods().isEmpty() && route.getPath() != null && !route.methods().contains(ctx.request().method())
                && PATTERNS.computeIfAbsent(route.getPath(), UnmatchedRequests::pattern).matcher(ctx.normalizedPath()).matches());
    }

    /** A route path as a pattern, its {@code :name} segments matching any one segment. */
    private static Pattern pattern(String template) {
        return Pattern.compile(Pattern.quote(template).replaceAll(":[A-Za-z0-9_]+", "\\\\E[^/]+\\\\Q"));
    }

    private void answer(RoutingContext ctx, ApiException error) {
        ApiException answer = error;
        try {
            authentication.check(ctx.request().getHeader("Authorization"));
        } catch (ApiException unauthorized) {
            answer = unauthorized;
        }
        rejections.rejected(ctx.request().method().name(), UNKNOWN_TEMPLATE, ctx.normalizedPath(), answer);
        ServerRouter.answer(ctx, answer);
    }
}
