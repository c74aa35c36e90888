package io.tributary.source;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The health check of a source whose file is wrong (unknown parameter, missing or invalid value, a
 * sourceId or route id taken): UP (it must not take the node down) but marked {@code refused}, with the file, the route and the reason, under an id of its
 * file and route ({@code source-file-<file>#<route>}), never a running source's {@code source-<sourceId>}:
 * a wrong copy of a running source must not hide or remove that source's own check.
 */
final class RefusedSource extends SourceCheck {

    private final String file;
    private final String reason;

    RefusedSource(SourceEntry entry, String reason) {
        super("source-file-" + entry.file() + "#" + entry.routeName());
        this.file = entry.file();
        this.reason = reason;
    }

    String reason() {
        return reason;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("refused", true).detail("file", file).detail("error", reason).message(reason).up();
    }
}
