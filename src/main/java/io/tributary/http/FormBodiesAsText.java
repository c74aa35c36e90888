package io.tributary.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.OnCamelContextStarted;

/**
 * arangod reads a request body as JSON text whatever its content type, so {@code curl -d} (which sends
 * {@code application/x-www-form-urlencoded}) imports as it does against ArangoDB. Vert.x would parse a
 * form or multipart body into fields and hand the route an empty body, so on every JSON API (ArangoDB's
 * paths and Tributary's own {@code /api/...}) such a content type is set to {@code text/plain} before the
 * body is read.
 */
public class FormBodiesAsText implements OnCamelContextStarted {

    private static final List<String> JSON_APIS = List.of("/_api/*", "/_db/*", "/api/*");
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MULTIPART = "multipart/";

    private int port;

    public void setPort(int port) {
        this.port = port;
    }

    @Override
    public void onContextStarted(CamelContext context) {
        Router router = ServerRouter.of(context, port, "to read form bodies as text on");
        for (String jsonApi : JSON_APIS) {
            router.route(jsonApi).order(ServerRouter.BEFORE_CAMEL).handler(FormBodiesAsText::asText);
        }
    }

    private static void asText(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && (type.regionMatches(true, 0, FORM, 0, FORM.length())
                || type.regionMatches(true, 0, MULTIPART, 0, MULTIPART.length()))) {
            ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "text/plain");
        }
        ctx.next();
    }
}
