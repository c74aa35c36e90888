package io.tributary.central;

import io.tributary.http.ApiException;
import java.util.regex.Pattern;

/**
 * How far a source has been applied: its id ({@code X-Tributary-Source}) and an opaque position
 * ({@code X-Tributary-Position}) whose plain {@link String#compareTo} order is the source's order.
 */
public record SourcePosition(String source, String position) {

    public static final String SOURCE_HEADER = "X-Tributary-Source";
    public static final String POSITION_HEADER = "X-Tributary-Position";

    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");
    static final int MAX_POSITION_CHARS = 1000;

    /** The pair from request headers; null when neither is given; 400 when only one is or either is invalid. */
    public static SourcePosition fromHeaders(String source, String position) {
        if (source == null && position == null) {
            return null;
        }
        if (source == null || position == null) {
            throw ApiException.badParameter("headers " + SOURCE_HEADER + " and " + POSITION_HEADER + " go together");
        }
        return new SourcePosition(requireSource(source), requirePosition(position));
    }

    public static String requireSource(String source) {
        if (source == null || !SOURCE.matcher(source).matches()) {
            throw ApiException.badParameter("invalid source id '" + ApiException.printable(String.valueOf(source))
                    + "': use 1 to 200 of A-Z a-z 0-9 _ . : -");
        }
        return source;
    }

    private static String requirePosition(String position) {
        if (position.isEmpty() || position.length() > MAX_POSITION_CHARS
                || position.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badParameter("invalid " + POSITION_HEADER + ": 1 to " + MAX_POSITION_CHARS
                    + " characters without control characters");
        }
        return position;
    }
}
