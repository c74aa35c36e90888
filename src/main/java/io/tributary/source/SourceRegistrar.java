package io.tributary.source;

import io.tributary.node.NodeClient;
import io.tributary.node.NodeCredentials;
import io.tributary.node.NodeErrorAnswer;
import io.tributary.node.NodeUnreachable;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
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

    private final NodeClient central;
    private volatile boolean registered;

    public SourceRegistrar(String centralUrl, NodeCredentials auth) {
        this.central = new NodeClient(centralUrl, auth, TIMEOUT);
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
        try {
            central.send("PUT", "/_api/tributary/sources/" + URLEncoder.encode(sourceId, StandardCharsets.UTF_8),
                    NodeClient.json(body), TIMEOUT);
        } catch (NodeErrorAnswer e) {
            if (e.status() != 404) {
                throw new IllegalStateException("central node refused the registration of source '" + sourceId + "' (HTTP "
                        + e.status() + "): " + e.excerpt(1000) + "; nothing is sent until this is resolved");
            }
            // a plain ArangoDB has no registry (nor the tie rule it protects); Tributary always answers this path
            LOG.warn("source={}: the central node has no source registry (HTTP 404; a plain ArangoDB?), so it cannot"
                    + " refuse a second source under this id or a colliding key prefix", sourceId);
        } catch (NodeUnreachable e) {
            // no cause attached: the run's reason is the innermost message, and java.net.http's is an empty channel error
            String why = e.getCause() instanceof ConnectException ? "Connection refused" : e.getCause().toString();
            throw new IllegalStateException("Cannot register source '" + sourceId + "' with the central node at "
                    + central.url() + ": " + why);
        } catch (CancellationException e) {
            throw new IllegalStateException("Interrupted while registering source '" + sourceId + "'", e);
        }
        registered = true;
    }

    public boolean isRegistered() {
        return registered;
    }
}
