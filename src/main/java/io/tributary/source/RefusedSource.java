package io.tributary.source;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The health check of a source whose file is wrong (unknown parameter, missing or invalid value, a
 * sourceId taken): always DOWN, with the file, the route and the reason, under the id the running
 * source's check would have ({@code source-<sourceId>}), so {@code /observe/health} shows it in its place.
 */
final class RefusedSource extends AbstractHealthCheck {

    private final String file;
    private final String reason;

    RefusedSource(String id, String file, String reason) {
        super("tributary", id);
        this.file = file;
        this.reason = reason;
    }

    String reason() {
        return reason;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("file", file).detail("error", reason).message(reason).down();
    }
}
