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
    public void ensureRegistered(SourceConfiguration source) {
        if (registered) {
            return;
        }
        String sourceId = source.sourceId();
        SourceFingerprint fingerprint = SourceFingerprint.of(source.dataSource(), source.table(), source.keyColumn());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("fingerprint", fingerprint.sha256());
        body.put("origin", fingerprint.origin());
        body.put("database", source.database().isEmpty() ? "_system" : source.database());
        body.put("collection", source.collection());
        body.put("keyPrefix", source.keyPrefix());
        try {
            central.send("PUT", "/_api/tributary/sources/" + URLEncoder.encode(sourceId, StandardCharsets.UTF_8),
                    NodeClient.json(body), TIMEOUT);
        } catch (NodeErrorAnswer e) {
            if (e.status() != 404) {
                throw new CentralRefusal("central node refused the registration of source '" + sourceId + "' (HTTP "
                        + e.status() + "): " + e.excerpt(1000) + "; nothing is sent until this is resolved",
                        e.status(), e.excerpt(Integer.MAX_VALUE));
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
}
