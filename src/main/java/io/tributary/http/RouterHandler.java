package io.tributary.http;

import org.apache.camel.spi.OnCamelContextStarted;

/**
 * A handler Tributary puts on the HTTP server's Vert.x router once Camel has started, in front of or
 * behind Camel's routes: it checks the central credentials and logs what it refuses like the routes do.
 */
abstract class RouterHandler implements OnCamelContextStarted {

    protected BasicAuthentication authentication;
    protected RejectedRequests rejections;
    /** {@code camel.server.port}: which server's router. */
    protected int port;

    public void setAuthentication(BasicAuthentication authentication) {
        this.authentication = authentication;
    }

    public void setRejections(RejectedRequests rejections) {
        this.rejections = rejections;
    }

    public void setPort(int port) {
        this.port = port;
    }
}
