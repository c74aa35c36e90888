package io.tributary.status;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A health check about one part of the node's work (a source, a source file, a follower): listed by
 * {@code /observe/health}, but neither a liveness nor a readiness check, and always UP with its state in
 * its details: one failing part must not make a probe restart the node or take it out of service, which
 * would stop every healthy part and the central endpoint with it.
 */
public abstract class ListedCheck extends AbstractHealthCheck {

    protected ListedCheck(String id) {
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
