package io.tributary.job;

/** A job that stopped before it finished because it was cancelled or ran out of its maximum wait time. */
public class JobStopped extends RuntimeException {

    private final boolean cancelled;

    JobStopped(boolean cancelled, String message) {
        super(message);
        this.cancelled = cancelled;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
