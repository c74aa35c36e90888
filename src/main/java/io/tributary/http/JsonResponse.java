package io.tributary.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** The answer of every API route: a status and a JSON body. */
public final class JsonResponse {

    private JsonResponse() {
    }

    /**
     * Replaces all headers, so no request header (Authorization included) is echoed into the response.
     * An answer to HEAD has no body: Vert.x would send it, and a client reusing the connection would
     * read it as the start of the next response.
     */
    public static void send(Message in, int status, Object body) {
        String text;
        try {
            text = "HEAD".equals(in.getHeader(Exchange.HTTP_METHOD, String.class)) ? ""
                    : body instanceof String s ? s : Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        in.setBody(text);
    }
}
