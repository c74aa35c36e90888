package io.tributary.sync;

/** A sync that stopped before it finished because it was cancelled or ran out of its maximum wait time. */
public class SyncStopped extends RuntimeException {

    private final boolean cancelled;

    SyncStopped(boolean cancelled, String message) {
        super(message);
        this.cancelled = cancelled;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
