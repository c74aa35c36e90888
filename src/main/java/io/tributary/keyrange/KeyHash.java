package io.tributary.keyrange;

/** One key and the hash of its row ({@link DocumentHash#of}). */
public record KeyHash(String key, String hash) implements RangeComparison.Keyed {
}
