package io.tributary.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.apache.camel.Service;

/**
 * HTTP Basic authentication for the central endpoint. Without a password only loopback clients can
 * reach the server by default, so start-up fails when the server binds elsewhere with no password,
 * unless anonymous access is explicitly allowed.
 */
public class BasicAuthentication implements Service {

    /** The {@code WWW-Authenticate} header of a 401. */
    public static final String CHALLENGE = "Basic realm=\"tributary\"";

    private String username = "root";
    private String password = "";
    private String serverHost = "127.0.0.1";
    private boolean allowAnonymous;
    private byte[] expected;

    public void setUsername(String username) {
        this.username = username == null ? "" : username;
    }

    public void setPassword(String password) {
        this.password = password == null ? "" : password;
    }

    public void setServerHost(String serverHost) {
        this.serverHost = serverHost;
    }

    public void setAllowAnonymous(boolean allowAnonymous) {
        this.allowAnonymous = allowAnonymous;
    }

    public boolean isEnabled() {
        return !password.isEmpty();
    }

    @Override
    public void start() {
        if (!isEnabled() && !allowAnonymous && !isLoopback(serverHost)) {
            throw new IllegalStateException("Refusing to serve the central endpoint on " + serverHost
                    + " without a password: set tributary.central.password (and tributary.central.username),"
                    + " or tributary.central.allow-anonymous=true to accept anonymous requests from the network");
        }
        expected = digest(username + ":" + password);
    }

    @Override
    public void stop() {
        // nothing to release
    }

    /** 401 unless the request carries the configured credentials; a no-op when no password is set. */
    public void check(String authorization) {
        if (!isEnabled()) {
            return;
        }
        if (expected == null) {
            start();
        }
        String given = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                given = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                given = null;
            }
        }
        // digests have equal length, so the comparison time does not reveal how much of the secret matched
        if (given == null || !MessageDigest.isEqual(expected, digest(given))) {
            throw new ApiException(401, ApiException.UNAUTHORIZED, "not authorized to execute this request");
        }
    }

    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
