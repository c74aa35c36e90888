package io.tributary.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.node.NodeClient;
import io.tributary.node.NodeCredentials;
import io.tributary.node.NodeErrorAnswer;
import io.tributary.node.NodeUnreachable;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Asks the central node for the highest position it has applied for a source. Used only when the
 * source's own status row is missing, so a lost status table causes neither duplicates nor gaps.
 */
public final class CentralPosition {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final NodeClient central;

    public CentralPosition(String centralUrl, NodeCredentials auth) {
        this.central = new NodeClient(centralUrl, auth, TIMEOUT);
    }

    /** Empty when the central node has nothing from this source (404); any other failure throws, so the run fails. */
    public Optional<String> fetch(String sourceId) {
        JsonNode position;
        try {
            position = central.get("/_api/tributary/positions/" + URLEncoder.encode(sourceId, StandardCharsets.UTF_8), TIMEOUT)
                    .json().path("position");
        } catch (NodeErrorAnswer e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw new CentralRefusal("Central node answered " + e.status() + " when asked for the position of source '"
                    + sourceId + "'", e.status(), e.excerpt(Integer.MAX_VALUE));
        } catch (NodeUnreachable e) {
            throw new IllegalStateException("Cannot ask the central node for the position of source '" + sourceId + "': "
                    + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("Interrupted while asking the central node for a position", e);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Central node sent an unreadable position for source '" + sourceId + "'", e.getCause());
        }
        return position.isTextual() && !position.asText().isEmpty() ? Optional.of(position.asText()) : Optional.empty();
    }
}
