package io.tributary.launch;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.camel.PropertyBindingException;

/** A reason not to start that the user can act on: the message says it all, so no stack trace is printed. */
public final class StartRefused extends RuntimeException {

    /** A setting whose value is not repeated in a refusal. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i)pass|secret|token|credential");

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
        PropertyBindingException binding = bindingOf(failure);
        if (binding != null && binding == root) {
            // Camel's own words repeat the value, which a misspelled password key would print
            String target = binding.getTarget() == null ? "its target" : binding.getTarget().getClass().getSimpleName();
            return "Cannot set " + keyOf(binding) + ": " + target + " has no property '" + binding.getPropertyName() + "'";
        }
        if (binding != null) {
            // the parser's words alone ("For input string: ...") do not say which setting is wrong
            String value = SECRET_KEY.matcher(keyOf(binding)).find() ? "its value" : "'" + binding.getValue() + "'";
            return "Cannot set " + keyOf(binding) + " to " + value + ": " + messageOf(root);
        }
        if (root instanceof NoSuchFileException missing) {
            return "not found: " + Path.of(missing.getFile()).toAbsolutePath()
                    + " (run Tributary from its directory, or see camel.main.routes-include-pattern)";
        }
        return messageOf(root);
    }

    private static String messageOf(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static PropertyBindingException bindingOf(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof PropertyBindingException binding) {
                return binding;
            }
        }
        return null;
    }

    /** The key as the settings spell it: {@code camel.beans.centralStore.maxAttempts}. */
    private static String keyOf(PropertyBindingException binding) {
        if (binding.getOptionKey() == null) {
            return binding.getPropertyName();
        }
        String prefix = binding.getOptionPrefix();
        return prefix == null ? binding.getOptionKey()
                : prefix + (prefix.endsWith(".") ? "" : ".") + binding.getOptionKey();
    }
}
