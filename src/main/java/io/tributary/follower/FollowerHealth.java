package io.tributary.follower;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.status.ListedCheck;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * A follower as a Camel health check ({@code follower:<name>} on {@code /observe/health}), listed with its
 * state, applied tick and lag; while its rounds fail (primary unreachable, refused handshake) it says
 * {@code failing} with the reason, and a follower whose parameters are refused says {@code refused}, failing too.
 * It stays UP and is neither a liveness nor a readiness check, as a source's check: one follower must not
 * make a probe restart the node or take it out of service.
 */
final class FollowerHealth extends ListedCheck {

    private final Supplier<ObjectNode> status;

    FollowerHealth(String id, Supplier<ObjectNode> status) {
        super(id);
        this.status = status;
    }

    /** {@code follower:<name>}: a route id never has the colon, and Camel finds a check by route id too. */
    static String id(String name) {
        return "follower:" + name;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ObjectNode s = status.get();
        String state = s.path("state").asText();
        builder.detail("state", state).detail("primary", s.path("primary").asText())
                .detail("database", s.path("database").asText()).detail("applied.tick", s.path("appliedTick").asText())
                .detail("lag.ticks", s.path("lagTicks").asText()).detail("lag.seconds", s.path("lagSeconds").asDouble());
        if ("failing".equals(state) || "refused".equals(state)) {
            builder.detail("failing", true).detail("last.error", s.path("lastError").asText())
                    .message(state + ": " + s.path("lastError").asText());
        } else {
            builder.detail("failing", false);
        }
        builder.up();
    }
}
