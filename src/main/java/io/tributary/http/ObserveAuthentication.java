package io.tributary.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Puts the central credentials in front of Camel's observability endpoints ({@code /observe/...}),
 * which the management server serves on the same Vert.x router outside any route (so the routes'
 * {@code interceptFrom} never sees them). With a password set, only the bare liveness answers stay
 * open: {@code GET /observe/health}, {@code /observe/health/live} and {@code /observe/health/ready}
 * without query parameters (status only, {@code camel.health.exposure-level=oneline}). Health details
 * ({@code ?data=true}, {@code exposureLevel}), metrics, info and every other console need Basic auth.
 */
public class ObserveAuthentication extends RouterHandler {

    private static final Set<String> OPEN = Set.of("/observe/health", "/observe/health/live", "/observe/health/ready");

    private String path = "/observe";

    /** {@code camel.management.path}. */
    public void setPath(String path) {
        this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public void onContextStarted(CamelContext context) {
        VertxPlatformHttpRouter router = ServerRouter.of(context, port, "to protect " + path + " with");
        router.route(path + "/*").order(ServerRouter.BEFORE_CAMEL).handler(this::handle);
        router.route(path).order(ServerRouter.BEFORE_CAMEL).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        try {
            if (!isBareLiveness(ctx)) {
                authentication.check(ctx.request().getHeader("Authorization"));
            }
        } catch (ApiException e) {
            if (rejections != null) {
                rejections.rejected(ctx.request().method().name(), path + "/*", ctx.normalizedPath(), e);
            }
            ServerRouter.answer(ctx, e);
            return;
        }
        ctx.next();
    }

    private boolean isBareLiveness(RoutingContext ctx) {
        String p = ctx.normalizedPath();
        String relative = p.startsWith(path) ? "/observe" + p.substring(path.length()) : p;
        String query = ctx.request().query();
        return (ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD)
                && OPEN.contains(relative.endsWith("/") ? relative.substring(0, relative.length() - 1) : relative)
                && (query == null || query.isEmpty());
    }
}
