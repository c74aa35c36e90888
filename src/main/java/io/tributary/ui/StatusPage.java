package io.tributary.ui;

import io.tributary.http.ApiException;
import io.tributary.http.RequestPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The status page's files, served by {@code routes/status-page.camel.yaml} from the jar
 * ({@code tributary/ui/}): the page, its script and its style, nothing else. The script draws the page from
 * the JSON APIs ({@code /api/sources}, {@code /api/jobs}); the policy below lets the page load nothing
 * from elsewhere and run no inline script, so text shown from an error message can never run.
 */
public class StatusPage {

    private static final String FOLDER = "tributary/ui/";
    /** The only files served: name to content type. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "status.js", "text/javascript; charset=utf-8",
            "status.css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    /** {@code GET /ui} (the page) and {@code GET /ui/{file}}. */
    public void file(Exchange exchange) {
        Message in = exchange.getMessage();
        String name = RequestPath.parameter(in, "file");
        String file = name == null ? "index.html" : name;
        String type = FILES.get(file);
        if (type == null) {
            throw new ApiException(404, ApiException.NOT_FOUND, "no file '" + ApiException.printable(file) + "' in the status page");
        }
        byte[] body;
        try (InputStream s = StatusPage.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
            if (s == null) {
                throw new IllegalStateException("the jar lacks " + FOLDER + file);
            }
            body = s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        in.setHeader(Exchange.CONTENT_TYPE, type);
        in.setHeader("Content-Security-Policy", POLICY);
        in.setHeader("X-Content-Type-Options", "nosniff");
        in.setHeader("Referrer-Policy", "no-referrer");
        in.setBody(body);
    }

    /** {@code GET /}: to the status page. */
    public void home(Exchange exchange) {
        Message in = exchange.getMessage();
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        in.setHeader("Location", "/ui");
        in.setBody("");
    }
}
