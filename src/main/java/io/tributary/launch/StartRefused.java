package io.tributary.launch;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A reason not to start that the user can act on: the message says it all, so no stack trace is printed. */
public final class StartRefused extends RuntimeException {

    public StartRefused(String message) {
        super(message);
    }

    /**
     * What a user needs from a failed start: this exception's message, else the innermost cause's (Camel
     * wraps a bean's refusal in two or three layers that name a route, not the reason).
     */
    public static String reasonOf(Throwable failure) {
        if (failure instanceof StartRefused) {
            return failure.getMessage();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NoSuchFileException missing) {
            return "not found: " + Path.of(missing.getFile()).toAbsolutePath()
                    + " (run Tributary from its directory, or see camel.main.routes-include-pattern)";
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
