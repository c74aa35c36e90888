package io.tributary.central;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the central endpoint, called from {@code routes/central-import.camel.yaml}: reads
 * the request, asks {@link DocumentStore}, and answers with ArangoDB's response and error bodies.
 */
public class ImportEndpoint implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(ImportEndpoint.class);

    /**
     * Media types of JSON text, or none. Form types are refused: Vert.x would consume such a body as form
     * fields and the import would silently see nothing (curl -d sends one unless told otherwise).
     */
    private static final Set<String> JSON_TYPES = Set.of("application/json", "text/plain", "application/x-ldjson",
            "application/x-ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines",
            "text/json");

    private DocumentStore store;
    private long maxBodyBytes = 64L * 1024 * 1024;
    private DocumentLimit documentLimit = new DocumentLimit(DocumentLimit.DEFAULT_MAX_BYTES);

    public void setStore(DocumentStore store) {
        this.store = store;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code tributary.central.max-document-bytes}: see {@link DocumentLimit}. */
    public void setMaxDocumentBytes(long maxDocumentBytes) {
        this.documentLimit = new DocumentLimit(maxDocumentBytes);
    }

    /** Started by the routes that use it; prepares the store's tables so the first request does not pay for it. */
    @Override
    public void start() {
        store.start();
    }

    @Override
    public void stop() {
        store.stop();
    }

    /** {@code POST [/_db/{database}]/_api/import}. */
    public void importDocuments(Exchange exchange) {
        Message in = exchange.getMessage();
        String database = database(in);
        ImportRequest request = ImportRequest.parse(in.getHeader(Exchange.HTTP_QUERY, String.class));
        requireJsonText(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        Long declared = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > maxBodyBytes) {
            throw tooLarge();
        }
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        SourcePosition position = SourcePosition.fromHeaders(in.getHeader(SourcePosition.SOURCE_HEADER, String.class),
                in.getHeader(SourcePosition.POSITION_HEADER, String.class));
        ImportBody parsed = ImportBody.parse(documentLimit, request, body);
        ImportResult result = store.importDocuments(database, request, parsed, position);

        ObjectNode answer = DocumentJson.MAPPER.createObjectNode()
                .put("error", false).put("created", result.created()).put("errors", result.errors())
                .put("empty", result.empty()).put("updated", result.updated()).put("ignored", result.ignored());
        if (request.details()) {
            ArrayNode details = answer.putArray("details");
            result.details().forEach(details::add);
        }
        respond(in, 201, answer);
    }

    /** {@code GET [/_db/{database}]/_api/collection/{name}/count}. */
    public void count(Exchange exchange) {
        Message in = exchange.getMessage();
        String collection = CollectionName.requireCollection(segmentAfter(in, "collection", 0));
        long count = store.count(database(in), collection);
        respond(in, 200, DocumentJson.MAPPER.createObjectNode().put("name", collection).put("count", count)
                .put("error", false).put("code", 200));
    }

    /** {@code GET [/_db/{database}]/_api/document/{collection}/{key}}: the stored document plus its {@code _id}. */
    public void document(Exchange exchange) {
        Message in = exchange.getMessage();
        String collection = CollectionName.requireCollection(segmentAfter(in, "document", 0));
        String key = segmentAfter(in, "document", 1);
        if (!DocumentKey.isValid(key)) {
            throw new ApiException(400, ApiException.DOCUMENT_KEY_BAD, "illegal document key");
        }
        String json = store.document(database(in), collection, key)
                .orElseThrow(() -> new ApiException(404, ApiException.DOCUMENT_NOT_FOUND, "document not found"));
        // collection and key are validated ASCII without quotes or backslashes, so they are valid JSON text
        respond(in, 200, "{\"_id\":\"" + collection + "/" + key + "\"," + json.substring(json.indexOf('{') + 1));
    }

    /** {@code GET /_api/tributary/positions}. */
    public void positions(Exchange exchange) {
        ObjectNode answer = DocumentJson.MAPPER.createObjectNode().put("error", false).put("code", 200);
        ArrayNode list = answer.putArray("positions");
        store.positions().forEach(p -> list.addObject().put("source", p.source()).put("position", p.position()));
        respond(exchange.getMessage(), 200, answer);
    }

    /** {@code GET /_api/tributary/positions/{source}}. */
    public void position(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(segmentAfter(in, "positions", 0));
        Optional<SourcePosition> p = store.position(source);
        SourcePosition found = p.orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND,
                "no position recorded for source '" + source + "'"));
        respond(in, 200, DocumentJson.MAPPER.createObjectNode().put("source", found.source()).put("position", found.position()));
    }

    /** {@code PUT /_api/tributary/sources/{source}}: 201 when new, 200 when confirmed or updated, 409 on a collision. */
    public void registerSource(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(segmentAfter(in, "sources", 0));
        byte[] body = in.getBody(byte[].class);
        JsonNode json;
        try {
            json = DocumentJson.MAPPER.readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            throw new ApiException(400, ApiException.CORRUPTED_JSON, "malformed JSON in the registration body");
        }
        SourceRegistration registration = SourceRegistration.fromJson(source, json);
        SourceRegistry.Outcome outcome = store.register(registration);
        int status = outcome == SourceRegistry.Outcome.CREATED ? 201 : 200;
        ObjectNode answer = DocumentJson.MAPPER.createObjectNode().put("error", false).put("code", status)
                .put("result", outcome.name().toLowerCase(Locale.ROOT));
        answer.set("source", registration.toJson());
        respond(in, status, answer);
    }

    /** {@code GET /_api/tributary/sources}. */
    public void sources(Exchange exchange) {
        ObjectNode answer = DocumentJson.MAPPER.createObjectNode().put("error", false).put("code", 200);
        ArrayNode list = answer.putArray("sources");
        store.sources().forEach(r -> list.add(r.toJson()));
        respond(exchange.getMessage(), 200, answer);
    }

    /** {@code GET /_api/tributary/sources/{source}}. */
    public void source(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(segmentAfter(in, "sources", 0));
        SourceRegistration found = store.source(source).orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND,
                "no source registered as '" + source + "'"));
        respond(in, 200, found.toJson());
    }

    /**
     * {@code DELETE /_api/tributary/sources/{source}}: forgets a registration, so the source can register
     * again from another database (the documents and the position stay).
     */
    public void deregisterSource(Exchange exchange) {
        Message in = exchange.getMessage();
        String source = SourcePosition.requireSource(segmentAfter(in, "sources", 0));
        if (!store.deregister(source)) {
            throw new ApiException(404, ApiException.NOT_FOUND, "no source registered as '" + source + "'");
        }
        respond(in, 200, DocumentJson.MAPPER.createObjectNode().put("error", false).put("code", 200).put("source", source)
                .put("result", "deleted"));
    }

    /** The error body for whatever a central route threw; unexpected failures are logged and answered with 500. */
    public void error(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiException api = e instanceof ApiException a ? a : null;
        if (api == null) {
            LOG.error("Central request {} {} failed", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), e);
            api = new ApiException(500, ApiException.INTERNAL, "internal error; the server log has the cause");
        }
        Message in = exchange.getMessage();
        respond(in, api.status(), DocumentJson.MAPPER.createObjectNode().put("error", true)
                .put("errorNum", api.errorNum()).put("errorMessage", api.getMessage()).put("code", api.status()));
        if (api.status() == 401) {
            in.setHeader("WWW-Authenticate", "Basic realm=\"tributary\"");
        }
    }

    /** The database of {@code /_db/{database}/...} paths, taken from the path itself; {@code _system} otherwise. */
    public static String database(Message in) {
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null || !path.startsWith("/_db/")) {
            return CollectionName.SYSTEM_DATABASE;
        }
        int end = path.indexOf('/', 5);
        String raw = end < 0 ? path.substring(5) : path.substring(5, end);
        return CollectionName.requireDatabase(URLDecoder.decode(raw, StandardCharsets.UTF_8));
    }

    /**
     * A path segment, read from the path itself rather than from headers: platform-http puts path and
     * query parameters and HTTP headers into one header map, where one could shadow another.
     */
    public static String segmentAfter(Message in, String marker, int offset) {
        String[] segments = in.getHeader(Exchange.HTTP_PATH, String.class).split("/");
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].equals(marker) && i + 1 + offset < segments.length) {
                return URLDecoder.decode(segments[i + 1 + offset], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void requireJsonText(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON_TYPES.contains(media) && !media.endsWith("+json")) {
            throw new ApiException(415, 415, "unsupported content type '" + CollectionName.printable(media)
                    + "': send JSON text as application/json, application/x-ldjson or text/plain"
                    + " (with curl: -H 'Content-Type: application/json' --data-binary @file)");
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, 413, "request body exceeds the limit of " + maxBodyBytes
                + " bytes (tributary.central.max-body-bytes); send smaller batches");
    }

    /** Replaces all headers, so no request header (Authorization included) is echoed into the response. */
    public static void respond(Message in, int status, Object body) {
        String text;
        try {
            text = body instanceof String s ? s : DocumentJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        in.setBody(text);
    }
}
