package io.tributary.follower;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A follower as a Camel health check ({@code follower:<name>} on {@code /observe/health}): DOWN while its
 * rounds fail (primary unreachable, refused handshake), with the reason; UP otherwise, with its state,
 * applied tick and lag as details.
 */
final class FollowerHealth extends AbstractHealthCheck {

    private final Follower follower;

    FollowerHealth(Follower follower) {
        super("tributary", id(follower.spec.name));
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
            builder.detail("last.error", s.path("lastError").asText()).message(s.path("lastError").asText()).down();
        } else {
            builder.up();
        }
    }
}
