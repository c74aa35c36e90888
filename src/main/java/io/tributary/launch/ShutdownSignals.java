package io.tributary.launch;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Logs which signal stops the process (Ctrl-C is SIGINT, a service manager sends SIGTERM) and what a
 * stop does, then lets the JVM's own handler run Camel's shutdown hook. Camel's hook cannot tell the
 * signals apart and calls every one SIGTERM.
 */
public final class ShutdownSignals {

    private static final Logger LOG = LoggerFactory.getLogger("io.tributary.Tributary");

    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private ShutdownSignals() {
    }

    public static void install() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] previous = new SignalHandler[1];
                previous[0] = Signal.handle(signal, s -> {
                    if (STOPPING.getAndSet(true)) {
                        return; // a second signal (a shell may send one to the process and one to its group)
                    }
                    LOG.info("Received SIG{}{}: stopping. Sources finish the page they are sending, then the HTTP"
                            + " server stops (at most camel.main.shutdown-timeout seconds)", name,
                            "INT".equals(name) ? " (Ctrl-C)" : "");
                    previous[0].handle(s);
                });
                if (previous[0] == SignalHandler.SIG_IGN || previous[0] == SignalHandler.SIG_DFL) {
                    // ignored (a background job of a non-interactive shell ignores SIGINT) or left to the OS:
                    // keep it that way rather than log a stop that would not happen
                    Signal.handle(signal, previous[0]);
                }
            } catch (IllegalArgumentException e) {
                // the JVM reserves this signal (e.g. -Xrs): its default handling stays
            }
        }
    }
}
