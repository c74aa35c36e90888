package io.tributary.central;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.OnCamelContextStarted;

/**
 * arangod reads a request body as JSON text whatever its content type, so {@code curl -d} (which sends
 * {@code application/x-www-form-urlencoded}) imports as it does against ArangoDB. Vert.x would parse a
 * form or multipart body into fields and hand the route an empty body, so on ArangoDB's paths such a
 * content type is set to {@code text/plain} before the body is read.
 */
public class FormBodiesAsText implements OnCamelContextStarted {

    /** Before the body handler that platform-http puts on every route. */
    private static final int ORDER = -1_000_000;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MULTIPART = "multipart/";

    private int port;

    public void setPort(int port) {
        this.port = port;
    }

    @Override
    public void onContextStarted(CamelContext context) {
        Router router = ServerRouter.of(context, port, "to read form bodies as text on");
        router.route("/_api/*").order(ORDER).handler(FormBodiesAsText::asText);
        router.route("/_db/*").order(ORDER).handler(FormBodiesAsText::asText);
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
