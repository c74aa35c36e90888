package io.tributary.central;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/** The Vert.x router of the HTTP server that platform-http and Camel's management server share. */
final class ServerRouter {

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
}
