package io.tributary.source;

import io.tributary.central.CentralAuth;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the central node for the highest position it has applied for a source. Used only when the
 * source's own status row is missing, so a lost status table causes neither duplicates nor gaps.
 */
public final class CentralPosition {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String centralUrl;
    private final CentralAuth auth;

    public CentralPosition(String centralUrl, CentralAuth auth) {
        this.centralUrl = centralUrl.endsWith("/") ? centralUrl.substring(0, centralUrl.length() - 1) : centralUrl;
        this.auth = auth;
    }

    /** Empty when the central node has nothing from this source (404); any other failure throws, so the run fails. */
    public Optional<String> fetch(String sourceId) {
        URI uri = URI.create(centralUrl + "/_api/tributary/positions/" + URLEncoder.encode(sourceId, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        auth.authorization().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot ask the central node for the position of source '" + sourceId + "': " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking the central node for a position", e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Central node answered " + response.statusCode() + " when asked for the position of source '"
                    + sourceId + "'");
        }
        try {
            JsonNode position = Json.MAPPER.readTree(response.body()).path("position");
            return position.isTextual() && !position.asText().isEmpty() ? Optional.of(position.asText()) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("Central node sent an unreadable position for source '" + sourceId + "'", e);
        }
    }
}
