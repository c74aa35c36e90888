package io.tributary.follower;

import static io.tributary.http.RequestFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.CollectionName;
import io.tributary.http.RequestFields;
import io.tributary.json.Json;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of one {@code tributary-follower} route, validated: which primary, which database and
 * collections, how long a log request waits and how many entries a page holds. The password is kept for
 * the run only and never shown.
 */
public final class FollowerSpec {

    static final int MAX_WAIT_SECONDS = 60;
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> FIELDS = Set.of("name", "primaryUrl", "primaryUsername", "primaryPassword", "database",
            "collections", "waitSeconds", "limit");

    final String name;
    final String primaryUrl;
    final String username;
    final String password;
    final String database;
    /** Empty: every collection of the primary's database. */
    final List<String> collections;
    final int waitSeconds;
    final int limit;

    private FollowerSpec(String name, String primaryUrl, String username, String password, String database,
                         List<String> collections, int waitSeconds, int limit) {
        this.name = name;
        this.primaryUrl = primaryUrl;
        this.username = username;
        this.password = password;
        this.database = database;
        this.collections = collections;
        this.waitSeconds = waitSeconds;
        this.limit = limit;
    }

    /** The route's parameters as its template bean holds them (name to value); the values are never pasted into text. */
    static FollowerSpec from(Map<String, ?> parameters) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        parameters.forEach((k, v) -> root.put(k, v == null ? null : String.valueOf(v)));
        RequestFields.requireKnown(root, FIELDS, "");
        return parse(root);
    }

    private static FollowerSpec parse(JsonNode root) {
        String name = text(root, "name");
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw ApiException.badParameter("follower 'name' must be 1 to 64 letters, digits, '_', '.' or '-'");
        }
        String url = requireUrl(text(root, "primaryUrl"));
        String database = CollectionName.requireDatabase(blankToNull(text(root, "database")));
        String listed = text(root, "collections");
        List<String> collections = listed == null || listed.isBlank() ? List.of()
                : Arrays.stream(listed.split(",")).map(String::trim).filter(c -> !c.isEmpty())
                        .map(c -> CollectionName.requireCollection(c, "the follower's 'collections'")).distinct().toList();
        int wait = number(root, "waitSeconds", 30, 0, MAX_WAIT_SECONDS);
        int limit = number(root, "limit", 1000, 1, MAX_LIMIT);
        return new FollowerSpec(name, url, blankToNull(text(root, "primaryUsername")), blankToNull(text(root, "primaryPassword")),
                database, collections, wait, limit);
    }

    boolean follows(String collection) {
        return collections.isEmpty() || collections.contains(collection);
    }

    /** Whether these parameters describe the same following as {@code other} (a restarted route may change the rest). */
    boolean sameData(FollowerSpec other) {
        return other.database.equals(database) && other.primaryUrl.equals(primaryUrl);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static int number(JsonNode root, String field, int defaultValue, int min, int max) {
        JsonNode v = root.path(field);
        if (v.isMissingNode() || v.isNull() || v.asText().isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.asText().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badParameter("follower '" + field + "' must be a whole number from " + min + " to " + max
                + ", got '" + ApiException.printable(v.asText()) + "'");
    }

    private static String requireUrl(String url) {
        if (url != null) {
            try {
                URI uri = URI.create(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                String path = uri.getRawPath() == null ? "" : uri.getRawPath();
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null
                        && uri.getUserInfo() == null && (path.isEmpty() || path.equals("/"))) {
                    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
        }
        throw ApiException.badParameter("follower 'primaryUrl' must be an http(s) URL of a Tributary node such as"
                + " http://primary:8529, without credentials (give primaryUsername and primaryPassword)");
    }
}
