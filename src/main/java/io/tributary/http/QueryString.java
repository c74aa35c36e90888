package io.tributary.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A request's query string, read strictly: a parameter given twice or a broken escape is a 400. */
public final class QueryString {

    private QueryString() {
    }

    /** Decoded parameters of a raw query string; each name at most once. */
    public static Map<String, String> parameters(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.put(name, value) != null) {
                throw ApiException.badParameter("query parameter '" + ApiException.printable(name) + "' given more than once");
            }
        }
        return params;
    }

    /** {@link #parameters}, refusing (400) a name not in {@code known}: a misspelled option would otherwise be ignored. */
    public static Map<String, String> known(String rawQuery, Set<String> known) {
        Map<String, String> params = parameters(rawQuery);
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badParameter("unknown query parameter '" + ApiException.printable(name) + "'; known: "
                        + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
            }
        }
        return params;
    }

    /** A true/false parameter, false when absent; 400 for any other value, which would otherwise mean false. */
    public static boolean flag(Map<String, String> params, String name) {
        String text = params.get(name);
        if (text == null || text.equalsIgnoreCase("false")) {
            return false;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badParameter("query parameter '" + name + "' must be true or false, not '"
                + ApiException.printable(text) + "'");
    }

    /** A whole-number parameter in [min, max], {@code fallback} when absent; 400 naming the range otherwise. */
    public static long number(Map<String, String> params, String name, long fallback, long min, long max) {
        String text = params.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badParameter("query parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + ApiException.printable(text) + "'");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("malformed percent-encoding in query string");
        }
    }
}
