package io.tributary.follower;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.status.ListedCheck;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * A follower as a Camel health check ({@code follower:<name>} on {@code /observe/health}), listed with its
 * state, applied tick and lag; while its rounds fail (primary unreachable, refused handshake) it says
 * {@code failing} with the reason. It stays UP and is neither a liveness nor a readiness check, as a
 * source's check: one follower must not make a probe restart the node or take it out of service.
 */
final class FollowerHealth extends ListedCheck {

    private final Follower follower;

    FollowerHealth(Follower follower) {
        super(id(follower.spec.name));
        this.follower = follower;
    }

    /** {@code follower:<name>}: a route id never has the colon, and Camel finds a check by route id too. */
    static String id(String name) {
        return "follower:" + name;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ObjectNode s = follower.status();
        builder.detail("state", s.path("state").asText()).detail("primary", follower.spec.primaryUrl)
                .detail("database", follower.spec.database).detail("applied.tick", s.path("appliedTick").asText())
                .detail("lag.ticks", s.path("lagTicks").asText()).detail("lag.seconds", s.path("lagSeconds").asDouble());
        if ("failing".equals(s.path("state").asText())) {
            builder.detail("failing", true).detail("last.error", s.path("lastError").asText())
                    .message("failing: " + s.path("lastError").asText());
        } else {
            builder.detail("failing", false);
        }
        builder.up();
    }
}
