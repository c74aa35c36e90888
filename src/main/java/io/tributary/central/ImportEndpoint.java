package io.tributary.central;

import io.tributary.http.ApiException;
import io.tributary.http.BasicAuthentication;
import io.tributary.http.RejectedRequests;
import io.tributary.http.RequestPath;
import static io.tributary.http.JsonResponse.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.io.IOException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the central endpoint, called from {@code routes/central-import.camel.yaml}: reads
 * the request, asks the {@link CollectionStore}, and answers with ArangoDB's response and error bodies.
 */
public class ImportEndpoint implements Service, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(ImportEndpoint.class);

    /** arangod reads this one content type as VelocyPack, which Tributary does not speak. */
    private static final String VELOCYPACK = "application/x-velocypack";

    /**
     * The response header with the last log tick of a request's write (absent when it wrote nothing): what a
     * synchronous write waits for followers to reach, and what a client compares a follower's applied tick with.
     */
    public static final String LAST_TICK_HEADER = "X-Tributary-Last-Tick";

    private CollectionStore store;
    private long maxBodyBytes = 64L * 1024 * 1024;
    private DocumentLimit documentLimit = new DocumentLimit(DocumentLimit.DEFAULT_MAX_BYTES);
    private RejectedRequests rejections;
    private CamelContext camelContext;
    private volatile ImportMetrics metrics;

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public void setRejections(RejectedRequests rejections) {
        this.rejections = rejections;
    }

    CollectionStore store() {
        return store;
    }

    DocumentLimit documentLimit() {
        return documentLimit;
    }

    /** {@code tributary.central.max-document-bytes}: see {@link DocumentLimit}. */
    public void setMaxDocumentBytes(long maxDocumentBytes) {
        this.documentLimit = new DocumentLimit(maxDocumentBytes);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Started by the routes that use it; prepares the store's tables so the first request does not pay for it. */
    @Override
    public void start() {
        ServiceHelper.startService(store);
    }

    @Override
    public void stop() {
        ServiceHelper.stopService(store);
    }

    /** {@code POST [/_db/{database}]/_api/import}. */
    public void importDocuments(Exchange exchange) {
        Message in = exchange.getMessage();
        String database = RequestPath.database(in);
        ImportRequest request = ImportRequest.parse(in.getHeader(Exchange.HTTP_QUERY, String.class));
        byte[] body = body(in);
        SourcePosition position = SourcePosition.fromHeaders(in.getHeader(SourcePosition.SOURCE_HEADER, String.class),
                in.getHeader(SourcePosition.POSITION_HEADER, String.class));
        ImportBody parsed = ImportBody.parse(documentLimit, request, body);
        store.changeLog().takeLastTick();
        long started = System.nanoTime();
        ImportResult result;
        try {
            result = store.importDocuments(database, request, parsed, position);
        } catch (RuntimeException e) {
            if (metrics() != null) {
                metrics.refused(request.collection(), parsed.items().size(), Duration.ofNanos(System.nanoTime() - started));
            }
            throw e;
        }
        if (metrics() != null) {
            metrics.imported(request.collection(), result, Duration.ofNanos(System.nanoTime() - started));
        }
        long tick = store.changeLog().takeLastTick();

        ObjectNode answer = Json.MAPPER.createObjectNode()
                .put("error", false).put("created", result.created()).put("errors", result.errors())
                .put("empty", result.empty()).put("updated", result.updated()).put("ignored", result.ignored());
        if (request.details()) {
            ArrayNode details = answer.putArray("details");
            result.details().forEach(details::add);
        }
        send(in, 201, answer);
        lastTick(in, tick);
    }

    /** Sets {@link #LAST_TICK_HEADER} on an answer (after {@code send}, which clears the request's headers). */
    static void lastTick(Message in, long tick) {
        if (tick > 0) {
            in.setHeader(LAST_TICK_HEADER, tick);
        } else {
            in.removeHeader(LAST_TICK_HEADER);
        }
    }

    /** Looked up at the first import: the Micrometer registry is bound while Camel starts. */
    private ImportMetrics metrics() {
        if (metrics == null) {
            metrics = ImportMetrics.of(camelContext);
        }
        return metrics;
    }

    /** {@code GET /_api/tributary/positions}. */
    public void positions(Exchange exchange) {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("error", false).put("code", 200);
        ArrayNode list = answer.putArray("positions");
        store.positions().forEach(p -> list.addObject().put("source", p.source()).put("position", p.position()));
        send(exchange.getMessage(), 200, answer);
    }

    /** {@code GET /_api/tributary/positions/{source}}. */
    public void position(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(RequestPath.parameter(in, "source"));
        // every new source asks this before its first batch: none recorded is the normal answer, not a refusal
        SourcePosition found = store.position(source).orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND,
                "no position recorded for source '" + source + "'").routine());
        send(in, 200, Json.MAPPER.createObjectNode().put("source", found.source()).put("position", found.position()));
    }

    /** {@code PUT /_api/tributary/sources/{source}}: 201 when new, 200 when confirmed or updated, 409 on a collision. */
    public void registerSource(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(RequestPath.parameter(in, "source"));
        byte[] body = in.getBody(byte[].class);
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            throw new ApiException(400, ApiException.CORRUPTED_JSON, "malformed JSON in the registration body");
        }
        SourceRegistration registration = SourceRegistration.fromJson(source, json);
        SourceRegistry.Outcome outcome = store.register(registration);
        int status = outcome == SourceRegistry.Outcome.CREATED ? 201 : 200;
        ObjectNode answer = Json.MAPPER.createObjectNode().put("error", false).put("code", status)
                .put("result", outcome.name().toLowerCase(Locale.ROOT));
        answer.set("source", registration.toJson());
        send(in, status, answer);
    }

    /** {@code GET /_api/tributary/sources}. */
    public void sources(Exchange exchange) {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("error", false).put("code", 200);
        ArrayNode list = answer.putArray("sources");
        store.sources().forEach(r -> list.add(r.toJson()));
        send(exchange.getMessage(), 200, answer);
    }

    /** {@code GET /_api/tributary/sources/{source}}. */
    public void source(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(RequestPath.parameter(in, "source"));
        SourceRegistration found = store.source(source).orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND,
                "no source registered as '" + source + "'"));
        send(in, 200, found.toJson());
    }

    /**
     * {@code DELETE /_api/tributary/sources/{source}}: forgets a registration, so the source can register
     * again from another database (the documents and the position stay).
     */
    public void deregisterSource(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(RequestPath.parameter(in, "source"));
        if (!store.deregister(source)) {
            throw new ApiException(404, ApiException.NOT_FOUND, "no source registered as '" + source + "'");
        }
        send(in, 200, Json.MAPPER.createObjectNode().put("error", false).put("code", 200).put("source", source)
                .put("result", "deleted"));
    }

    /**
     * The error body for whatever a central route threw, logged by {@link RejectedRequests}; unexpected
     * failures are also logged with their cause and answered with 500.
     */
    public void error(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        ApiException api = e instanceof ApiException a ? a : null;
        if (api == null) {
            LOG.error("Central request {} {} failed", method, path, e);
            api = new ApiException(500, ApiException.INTERNAL, "internal error; the server log has the cause");
        }
        if (rejections != null) {
            rejections.rejected(method, RequestPath.template(exchange), path, api);
        }
        send(in, api.status(), api.body());
        if (api.status() == 401) {
            in.setHeader("WWW-Authenticate", BasicAuthentication.CHALLENGE);
        }
    }

    /** The request body, at most {@code tributary.central.max-body-bytes} (413 above). */
    byte[] body(Message in) {
        Long declared = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > maxBodyBytes) {
            throw tooLarge();
        }
        refuseVelocyPack(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return body;
    }

    /**
     * arangod reads a request body as JSON text whatever its content type (text/plain, octet-stream, form),
     * except {@code application/x-velocypack}: the same here, and VelocyPack is refused as not spoken.
     */
    private static void refuseVelocyPack(String contentType) {
        if (contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase(VELOCYPACK)) {
            throw new ApiException(415, 415, "unsupported content type '" + VELOCYPACK + "': Tributary reads JSON"
                    + " text only; send the body as JSON (any other content type is read as JSON, as arangod does)");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, 413, "request body exceeds the limit of " + maxBodyBytes
                + " bytes (tributary.central.max-body-bytes); send smaller batches");
    }
}
