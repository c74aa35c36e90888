package io.tributary.source;

import io.tributary.central.CentralAuth;
import io.tributary.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a source with the central node ({@code PUT /_api/tributary/sources/{sourceId}}) once per
 * start, before its first import. A 409 (another source under this id, or a colliding key prefix) fails
 * the run with the central node's message, so nothing is sent and the health check shows why.
 */
public final class SourceRegistrar {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRegistrar.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String centralUrl;
    private final CentralAuth auth;
    private volatile boolean registered;

    public SourceRegistrar(String centralUrl, CentralAuth auth) {
        this.centralUrl = centralUrl.endsWith("/") ? centralUrl.substring(0, centralUrl.length() - 1) : centralUrl;
        this.auth = auth;
    }

    /** Registers unless this instance already did; throws (failing the run) unless the central node agreed. */
    public void ensureRegistered(String sourceId, DataSource dataSource, String table, String keyColumn, String database,
                                 String collection, String keyPrefix) {
        if (registered) {
            return;
        }
        SourceFingerprint fingerprint = SourceFingerprint.of(dataSource, table, keyColumn);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("fingerprint", fingerprint.sha256());
        body.put("origin", fingerprint.origin());
        body.put("database", database.isEmpty() ? "_system" : database);
        body.put("collection", collection);
        body.put("keyPrefix", keyPrefix);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(centralUrl + "/_api/tributary/sources/"
                    + URLEncoder.encode(sourceId, StandardCharsets.UTF_8))).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        auth.authorization().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // no cause attached: the run's reason is the innermost message, and java.net.http's is an empty channel error
            String why = e instanceof java.net.ConnectException ? "Connection refused" : e.toString();
            throw new IllegalStateException("Cannot register source '" + sourceId + "' with the central node at "
                    + centralUrl + ": " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while registering source '" + sourceId + "'", e);
        }
        if (response.statusCode() == 404) {
            // a plain ArangoDB has no registry (nor the tie rule it protects); Tributary always answers this path
            LOG.warn("source={}: the central node has no source registry (HTTP 404; a plain ArangoDB?), so it cannot"
                    + " refuse a second source under this id or a colliding key prefix", sourceId);
            registered = true;
            return;
        }
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            String answer = response.body() == null ? "" : response.body().strip();
            throw new IllegalStateException("central node refused the registration of source '" + sourceId + "' (HTTP "
                    + response.statusCode() + "): " + (answer.length() > 1000 ? answer.substring(0, 1000) + "..." : answer)
                    + "; nothing is sent until this is resolved");
        }
        registered = true;
    }

    public boolean isRegistered() {
        return registered;
    }
}
