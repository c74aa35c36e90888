package io.tributary.central;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the central store answers ({@code /observe/health/ready}). Not a liveness check: a central
 * database that is down for a while is no reason to restart the node, which would come back to the same
 * database; it is a reason not to send it imports.
 */
public final class CentralStoreCheck extends AbstractHealthCheck {

    private CollectionStore store;

    public CentralStoreCheck() {
        super("tributary", "central-store");
    }

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            store.checkReachable();
            builder.up();
        } catch (RuntimeException e) {
            builder.message(e.getMessage()).error(e).down();
        }
    }
}
