package io.tributary.source;

import java.util.Arrays;
import java.util.Locale;

/** How a source finds its changes; see docs/sources.md for when to use which. */
public enum CaptureMode {
    /** A change table that is read in key order and emptied of every transferred row (the seed's behaviour). */
    CHANGE_TABLE,
    /** An append-only table with an increasing key: rows past the key watermark are sent, nothing is deleted. */
    INCREMENTING,
    /** A table with a last-modified timestamp: rows past the (timestamp, key) watermark, minus a safety lag. */
    TIMESTAMP;

    public static CaptureMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(mode -> mode.parameterValue().equals(v)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("Invalid mode '" + value + "': use change-table, incrementing or timestamp"));
    }

    /** The spelling used in route files, e.g. {@code change-table}. */
    public String parameterValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
