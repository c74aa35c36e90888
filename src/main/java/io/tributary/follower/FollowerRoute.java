package io.tributary.follower;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The steps of one {@code tributary-follower} route (routes/follower-template.camel.yaml), a bean of the
 * template: it hands the route's parameters to {@link Followers} as the map they are, so no value (a password
 * with a quote or a backslash) is ever pasted into JSON or a Simple expression, and it names its route, so
 * two files declaring one follower name can be told apart.
 */
public final class FollowerRoute {

    private final Followers followers;
    private final Map<String, Object> parameters;

    public FollowerRoute(Followers followers, Map<String, Object> parameters) {
        this.followers = followers;
        this.parameters = parameters;
    }

    /** Handshake and, when needed, the initial sync's job bodies (see {@link Followers#prepare}). */
    public List<String> prepare(Exchange exchange) {
        return followers.prepare(exchange.getFromRouteId(), parameters, exchange);
    }

    public void synced() {
        followers.synced(name());
    }

    public Object fetch() {
        return followers.fetch(name());
    }

    public int apply(Exchange exchange) {
        return followers.apply(name(), exchange);
    }

    /** The round failed: state failing (or refused) with the reason, and one WARN line without any password. */
    public void failed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        followers.failed(exchange.getFromRouteId(), parameters, e == null ? exchange.getException() : e);
    }

    private String name() {
        return String.valueOf(parameters.get("name"));
    }
}
