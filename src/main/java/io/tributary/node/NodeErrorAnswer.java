package io.tributary.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A node answered with a status other than 2xx. Carries ArangoDB's error fields when the body has them
 * ({@code {"error":true,"errorNum":1210,"errorMessage":"..."}}); {@code errorNum} is 0 and the message
 * empty when it does not. The message quotes the node's own words: a caller that must not repeat what
 * some other service at that address sent builds its own from {@link #status()}.
 */
public final class NodeErrorAnswer extends RuntimeException {

    private final int status;
    private final int errorNum;
    private final String errorMessage;
    private final byte[] body;

    NodeErrorAnswer(String method, String url, int status, byte[] body) {
        this(method, url, status, body, arangoError(body));
    }

    private NodeErrorAnswer(String method, String url, int status, byte[] body, JsonNode error) {
        this(method + " " + url + " answered HTTP " + status, status, error.path("errorNum").asInt(),
                error.path("errorMessage").asText(), body);
    }

    private NodeErrorAnswer(String what, int status, int errorNum, String errorMessage, byte[] body) {
        super(what + (errorNum != 0 ? " (errorNum " + errorNum + ")" : "") + (errorMessage.isEmpty() ? "" : ": " + errorMessage));
        this.status = status;
        this.errorNum = errorNum;
        this.errorMessage = errorMessage;
        this.body = body;
    }

    private static JsonNode arangoError(byte[] body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            return json == null ? Json.MAPPER.missingNode() : json;
        } catch (IOException e) {
            return Json.MAPPER.missingNode();
        }
    }

    public int status() {
        return status;
    }

    /** ArangoDB's error number, 0 when the answer has none. */
    public int errorNum() {
        return errorNum;
    }

    /** ArangoDB's error message, empty when the answer has none. */
    public String errorMessage() {
        return errorMessage;
    }

    public int bodyBytes() {
        return body.length;
    }

    /** The answer's body, stripped, cut after {@code max} characters (marked with "..."). */
    public String excerpt(int max) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }
}
