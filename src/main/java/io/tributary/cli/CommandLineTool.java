package io.tributary.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What every Tributary command-line tool shares: its result is JSON alone on stdout, its log lines go to
 * stderr, and its exit code says how it ended ({@link #USAGE_ERROR} for arguments it cannot use, before
 * anything is opened).
 */
public final class CommandLineTool {

    public static final int USAGE_ERROR = 2;

    /** Read by logback.xml: where the console appender writes. */
    static final String LOG_TARGET = "tributary.log.target";

    /** One run of a tool: arguments, environment (for passwords named on the command line), stdout, stderr. */
    @FunctionalInterface
    public interface Body {
        int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err);
    }

    private CommandLineTool() {
    }

    /** Runs {@code body} as the process and exits with its code; call first thing in {@code main}. */
    public static void exit(Body body, String[] args) {
        // before any class asks for a logger: logback reads this once, when it starts
        System.setProperty(LOG_TARGET, "System.err");
        System.exit(body.run(args, System.getenv(), System.out, System.err));
    }

    /**
     * A password or other secret: the value of the environment variable named on the command line ({@code
     * null}: none given; {@link CommandLineArguments#parse} refuses a named variable that is not set). Never an
     * argument's value, which {@code ps} shows to every user.
     */
    public static String secret(Map<String, String> env, String variable) {
        return variable == null ? null : env.get(variable);
    }

    /** Prints a usage error the same way for every tool and returns {@link #USAGE_ERROR}. */
    public static int usageError(PrintStream err, String tool, String message, String usage) {
        err.println("tributary " + tool + ": " + message);
        err.println(usage);
        return USAGE_ERROR;
    }
}
