package io.tributary.node;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic credentials for another node. The header is built here rather than by camel-http's auth
 * options so the password never appears in an endpoint URI, and no header is sent without a user.
 * {@link #toString()} never shows the password.
 */
public final class NodeCredentials {

    private final String authorization;

    public NodeCredentials(String username, String password) {
        this.authorization = username == null || username.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password))
                        .getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    @Override
    public String toString() {
        return authorization == null ? "no authentication" : "Basic authentication";
    }
}
