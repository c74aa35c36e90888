package io.tributary.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/** The Vert.x router of the HTTP server that platform-http and Camel's management server share. */
final class ServerRouter {

    /** Before every handler Camel adds (the body handler of platform-http included): Vert.x runs routes in ascending order. */
    static final int BEFORE_CAMEL = -1_000_000;

    private ServerRouter() {
    }

    static VertxPlatformHttpRouter of(CamelContext context, int port, String purpose) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        if (router == null) {
            throw new IllegalStateException("No HTTP router on port " + port + " " + purpose);
        }
        return router;
    }

    /** ArangoDB's error body for a request answered outside the routes; no body for HEAD, a challenge with 401. */
    static void answer(RoutingContext ctx, ApiException error) {
        var response = ctx.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json; charset=utf-8");
        if (error.status() == 401) {
            response.putHeader("WWW-Authenticate", BasicAuthentication.CHALLENGE);
        }
        response.end(ctx.request().method() == HttpMethod.HEAD ? "" : error.body());
    }
}
