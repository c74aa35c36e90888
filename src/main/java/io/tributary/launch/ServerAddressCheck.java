package io.tributary.launch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;

/**
 * Refuses to start when the HTTP server's address is taken. Camel's Vert.x server only logs a warning
 * when its bind fails and Camel starts without it: a node that cannot be reached, whose sources post to
 * whatever holds the port.
 */
public final class ServerAddressCheck extends MainListenerSupport {

    @Override
    public void beforeStart(BaseMainSupport main) {
        HttpServerConfigurationProperties server = main.configure().httpServer();
        if (!server.isEnabled() || server.getPort() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(server.getHost(), server.getPort()));
        } catch (IOException e) {
            throw new StartRefused("Cannot listen on " + server.getHost() + ":" + server.getPort() + " ("
                    + e.getMessage() + "). Is another Tributary running? Set camel.server.port to a free port or stop"
                    + " the other process");
        }
    }
}
