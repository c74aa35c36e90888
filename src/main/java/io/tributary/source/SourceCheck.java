package io.tributary.source;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A health check about one source (running or refused): listed by {@code /observe/health}, but neither a
 * liveness nor a readiness check, and always UP with its state in its details: one source must not make a
 * probe restart the node or take it out of service, which would stop every healthy source and the central
 * endpoint with it.
 */
abstract class SourceCheck extends AbstractHealthCheck {

    SourceCheck(String id) {
        super("tributary", id);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }
}
