package io.tributary.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.io.IOException;

/**
 * Accepts a central node's import response only when it reports full success. A 2xx status is not
 * enough: ArangoDB answers 201 with {@code errors > 0} when {@code complete} is not honoured.
 */
public final class ImportResponseCheck {

    /** Thrown when the central node did not import the whole batch; the batch is then retried, never acknowledged. */
    public static final class ImportRejectedException extends RuntimeException {
        public ImportRejectedException(String message) {
            super(message);
        }
    }

    public void check(String responseBody, int expectedDocuments) {
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(responseBody == null ? "" : responseBody);
        } catch (IOException e) {
            throw new ImportRejectedException("Central import response is not JSON: " + excerpt(responseBody));
        }
        if (response == null || !response.isObject()) {
            throw new ImportRejectedException("Central import response is not a JSON object: " + excerpt(responseBody));
        }
        if (response.path("error").asBoolean(true)) {
            throw new ImportRejectedException("Central import failed: " + response.path("errorMessage").asText(excerpt(responseBody)));
        }
        long errors = response.path("errors").asLong(-1);
        if (errors != 0) {
            throw new ImportRejectedException("Central import reported " + (errors < 0 ? "no error count" : errors + " failed document(s)")
                    + " out of " + expectedDocuments + ": " + excerpt(responseBody));
        }
    }

    private static String excerpt(String body) {
        return body == null ? "(empty)" : body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
