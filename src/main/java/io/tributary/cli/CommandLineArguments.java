package io.tributary.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code --flag} and {@code --option value} arguments of Tributary's command-line tools; anything else is a usage error. */
public final class CommandLineArguments {

    private CommandLineArguments() {
    }

    /**
     * Flags map to {@code "true"}; throws IllegalArgumentException naming the first unknown or incomplete argument,
     * or a {@code --*-password-env} variable that {@code env} does not set.
     */
    public static Map<String, String> parse(String[] args, Set<String> flags, Set<String> options, Map<String, String> env) {
        Map<String, String> parsed = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (flags.contains(name)) {
                parsed.put(name, "true");
            } else if (options.contains(name) && i + 1 < args.length) {
                parsed.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete argument '" + args[i] + "'");
            }
        }
        parsed.forEach((option, variable) -> {
            // an unset variable would connect with no password at all: a typo would pass unseen until the login fails
            // (or, worse, succeed on a server that lets a password-less user in); set but empty is an empty password
            if (option.endsWith("password-env") && !env.containsKey(variable)) {
                throw new IllegalArgumentException("environment variable " + variable + " (given by --" + option
                        + ") is not set: export it with the password, or leave the option out for no password");
            }
        });
        return parsed;
    }

    /** The number given for {@code --option}, or {@code fallback}; a usage error names the option and the bad value. */
    public static <T> T number(Map<String, String> parsed, String option, String fallback, Function<String, T> parse) {
        String value = parsed.getOrDefault(option, fallback);
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be a number, not '" + value + "'");
        }
    }
}
