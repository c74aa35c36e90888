package io.tributary.launch;

/** A reason not to start that the user can act on: the message says it all, so no stack trace is printed. */
public final class StartRefused extends RuntimeException {

    public StartRefused(String message) {
        super(message);
    }
}
