package io.tributary.central;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an import body in ArangoDB's formats: JSON Lines ({@code type=documents}), one JSON array
 * ({@code array}/{@code list}), either by its first character ({@code auto}), or a line of attribute
 * names followed by lines of values (no {@code type}).
 *
 * <p>Malformed JSON anywhere rejects the whole request (400, nothing written): ArangoDB would skip a
 * broken line, but a sync client is better told that its batch is corrupt than have part of it vanish.
 * Well-formed values that are not documents are per-document errors.
 */
public final class ImportBody {

    private static final int CONTEXT_CHARS = 120;

    private final ObjectMapper mapper;
    private final DocumentLimit limit;
    private final ImportRequest request;
    private final List<ImportItem> items = new ArrayList<>();
    private int empty;

    private ImportBody(DocumentLimit limit, ImportRequest request) {
        this.mapper = limit.mapper();
        this.limit = limit;
        this.request = request;
    }

    /**
     * Every path checks the same limit on each document's received text before anything is written, and
     * refuses duplicate attribute names: a body breaking either is a 400 as a whole.
     */
    public static ImportBody parse(DocumentLimit limit, ImportRequest request, byte[] body) {
        ImportBody b = new ImportBody(limit, request);
        ImportRequest.Type type = request.type();
        if (type == ImportRequest.Type.AUTO) {
            type = firstNonBlank(body, 0, body.length) == '[' ? ImportRequest.Type.ARRAY : ImportRequest.Type.DOCUMENTS;
        }
        switch (type) {
            case ARRAY -> b.parseArray(body);
            case DOCUMENTS -> b.parseLines(body, false);
            default -> b.parseLines(body, true);
        }
        return b;
    }

    public List<ImportItem> items() {
        return items;
    }

    public int empty() {
        return empty;
    }

    private void parseArray(byte[] body) {
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ApiException(400, ApiException.CORRUPTED_JSON,
                        "expecting a JSON array of documents in the request body (type=array)");
            }
            int position = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw truncated();
                }
                long start = p.currentTokenLocation().getByteOffset();
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    JsonNode value = p.readValueAsTree();
                    limit.check(p.currentLocation().getByteOffset() - start, "the element at position " + position);
                    add(position++, value, null);
                    continue;
                }
                Scan scan = scanObject(p);
                long end = p.currentLocation().getByteOffset();
                limit.check(end - start, "the document at position " + position);
                String raw = raw(body, start, end);
                if (raw == null) {
                    throw new IllegalStateException("JSON parser offsets do not frame the document at byte " + start);
                }
                if (scan.storedAsReceived()) {
                    items.add(ImportItem.scanned(position++, scan.key(), raw, request.versionAttribute(), scan.version()));
                } else {
                    add(position++, mapper.readTree(raw), null); // rewritten, keyless or invalid: never stored as received
                }
            }
            if (p.nextToken() != null) {
                throw new ApiException(400, ApiException.CORRUPTED_JSON, "unexpected content after the JSON array");
            }
        } catch (JsonProcessingException e) {
            throw malformed("request body", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What a scan found at an object's top level. {@code storedAsReceived}: a valid key and none of the
     * attributes the server removes or rewrites, so the received text can be stored as it is.
     */
    private record Scan(String key, BigInteger version, boolean storedAsReceived) {
    }

    /**
     * Reads one object's top-level attributes without building a tree: the key and the version are read,
     * everything else skipped. A source's documents are always stored as received, so their trees are
     * never built.
     */
    private Scan scanObject(JsonParser p) throws IOException {
        String versionAttribute = request.versionAttribute();
        String scannedKey = null;
        BigInteger scannedVersion = null;
        boolean plain = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == null) {
                break;
            }
            if (name.equals("_key")) {
                scannedKey = value == JsonToken.VALUE_STRING ? p.getText() : null;
            } else if (name.equals(versionAttribute)) {
                scannedVersion = value == JsonToken.VALUE_NUMBER_INT ? DocumentJson.bounded(p.getBigIntegerValue())
                        : value == JsonToken.VALUE_NUMBER_FLOAT ? DocumentJson.rounded(p.getDecimalValue()) : null;
            } else if (name.equals("_id") || name.equals("_rev") || (name.equals("_from") && request.fromPrefix() != null)
                    || (name.equals("_to") && request.toPrefix() != null)) {
                plain = false;
            }
            p.skipChildren();
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw truncated();
        }
        return new Scan(scannedKey, scannedVersion, plain && DocumentKey.isValid(scannedKey));
    }

    /** Lines are split on '\n' (a '\r' before it is whitespace to JSON); positions are 1-based line numbers. */
    private void parseLines(byte[] body, boolean headersAndValues) {
        ArrayNode header = null;
        int line = 0;
        for (int start = 0; start < body.length; ) {
            int end = indexOf(body, (byte) '\n', start);
            line++;
            if (firstNonBlank(body, start, end) < 0) {
                empty++;
            } else {
                limit.check(end - start, "line " + line);
                JsonNode value = parseLine(body, start, end, line);
                if (!headersAndValues) {
                    add(line, value, raw(body, start, end));
                } else if (header == null) {
                    header = attributeNames(value);
                } else {
                    addValues(line, header, value);
                }
            }
            start = end + 1;
        }
        if (headersAndValues && header == null) {
            throw new ApiException(400, ApiException.BAD_PARAMETER, "no JSON array of attribute names found in the"
                    + " first line (without 'type' the body is a line of names followed by lines of values)");
        }
    }

    private JsonNode parseLine(byte[] body, int start, int end, int line) {
        try (JsonParser p = mapper.getFactory().createParser(body, start, end - start)) {
            JsonNode value = mapper.readTree(p);
            if (p.nextToken() != null) {
                throw new ApiException(400, ApiException.CORRUPTED_JSON, "malformed JSON in line " + line
                        + ": more than one JSON value in the line");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw malformed("line " + line, e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode attributeNames(JsonNode value) {
        if (!(value instanceof ArrayNode names) || names.isEmpty()) {
            throw new ApiException(400, ApiException.BAD_PARAMETER,
                    "first line must be a non-empty JSON array of attribute names");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode n : names) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw new ApiException(400, ApiException.BAD_PARAMETER,
                        "first line must contain attribute names as non-empty strings, found " + context(n));
            }
            if (!seen.add(n.asText())) {
                throw new ApiException(400, ApiException.CORRUPTED_JSON, "duplicate attribute name '"
                        + ApiException.printable(n.asText()) + "' in the first line (attribute names)");
            }
        }
        return names;
    }

    private void addValues(int line, ArrayNode header, JsonNode value) {
        if (!(value instanceof ArrayNode values)) {
            items.add(ImportItem.failed(line, ApiException.DOCUMENT_TYPE_INVALID,
                    "no valid JSON array data, offending context: " + context(value)));
            return;
        }
        if (values.size() > header.size() || (values.size() < header.size() && !request.ignoreMissing())) {
            items.add(ImportItem.failed(line, ApiException.BAD_PARAMETER, "wrong number of JSON values (got "
                    + values.size() + ", expected " + header.size() + ")"));
            return;
        }
        ObjectNode document = mapper.createObjectNode();
        for (int i = 0; i < values.size(); i++) {
            // as in ArangoDB, null values in this format mean "no such attribute"
            if (!values.get(i).isNull()) {
                document.set(header.get(i).asText(), values.get(i));
            }
        }
        add(line, document, null);
    }

    /** The UTF-8 text of the object the parser read from {@code start} to {@code end}; null if that is not one object. */
    private static String raw(byte[] body, long start, long end) {
        while (end > start && start >= 0 && end <= body.length && Character.isWhitespace(body[(int) end - 1])) {
            end--;
        }
        if (start < 0 || end <= start || end > body.length || body[(int) start] != '{' || body[(int) end - 1] != '}') {
            return null;
        }
        return new String(body, (int) start, (int) (end - start), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void add(int position, JsonNode value, String raw) {
        if (!(value instanceof ObjectNode document)) {
            items.add(ImportItem.failed(position, ApiException.DOCUMENT_TYPE_INVALID,
                    "invalid JSON type (expecting object, probably parse error), offending context: " + context(value)));
            return;
        }
        JsonNode key = document.get("_key");
        String keyText;
        boolean asReceived = raw != null && !document.has("_id") && !document.has("_rev")
                && (request.fromPrefix() == null || !document.has("_from")) && (request.toPrefix() == null || !document.has("_to"));
        if (key == null) {
            asReceived = false;
            keyText = DocumentKey.generate();
            document.put("_key", keyText);
        } else if (key.isTextual() && DocumentKey.isValid(key.asText())) {
            keyText = key.asText();
        } else {
            items.add(ImportItem.failed(position, ApiException.DOCUMENT_KEY_BAD,
                    "creating document failed with error 'illegal document key', offending document: " + context(document)));
            return;
        }
        // _id and _rev are the server's; the stored document keeps only _key
        document.remove("_id");
        document.remove("_rev");
        prefix(document, "_from", request.fromPrefix());
        prefix(document, "_to", request.toPrefix());
        items.add(ImportItem.document(position, document, keyText, asReceived ? raw : null));
    }

    private static void prefix(ObjectNode document, String attribute, String prefix) {
        JsonNode v = document.get(attribute);
        if (prefix != null && v != null && v.isTextual() && v.asText().indexOf('/') < 0) {
            document.put(attribute, prefix + v.asText());
        }
    }

    static String context(JsonNode value) {
        String s = value.toString();
        return s.length() > CONTEXT_CHARS ? s.substring(0, CONTEXT_CHARS) + "..." : s;
    }

    private ApiException malformed(String where, JsonProcessingException e) {
        if (e instanceof StreamReadException && e.getMessage() != null && e.getMessage().contains("end-of-input")) {
            return truncated();
        }
        String reason = e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            return limit.tooLarge("in " + where + ": " + (reason.length() > 200 ? reason.substring(0, 200) + "..." : reason));
        }
        if (reason.startsWith("Duplicate field '")) {
            // as ArangoDB, whose parser checks attribute uniqueness: 400 with errorNum 600
            String name = reason.substring("Duplicate field '".length(), reason.lastIndexOf('\''));
            return new ApiException(400, ApiException.CORRUPTED_JSON, "duplicate attribute name '"
                    + ApiException.printable(name) + "' in " + where + at(e));
        }
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "...";
        }
        return new ApiException(400, ApiException.CORRUPTED_JSON, "malformed JSON in " + where + at(e) + ": " + reason);
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static ApiException truncated() {
        return new ApiException(400, ApiException.CORRUPTED_JSON, "malformed JSON: unexpected end of the request body"
                + " (truncated?)");
    }

    private static int indexOf(byte[] body, byte b, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return body.length;
    }

    /** The first byte that is not JSON whitespace in [from, to), or -1. */
    static int firstNonBlank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = body[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c;
            }
        }
        return -1;
    }
}
