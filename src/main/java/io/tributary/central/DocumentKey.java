package io.tributary.central;

import java.util.concurrent.atomic.AtomicLong;

/** ArangoDB's document key rules, and the keys generated for documents that come without one. */
public final class DocumentKey {

    /** 1 to 254 characters out of ArangoDB's allowed set (all single-byte, so characters = bytes). */
    private static final String PUNCTUATION = "_-:.@()+,=;$!*'%";

    /** Microseconds since the epoch, never repeating within this process: time-ordered like ArangoDB's keys. */
    private static final AtomicLong LAST = new AtomicLong();

    private DocumentKey() {
    }

    /** 1 to 254 of {@code A-Z a-z 0-9 _-:.@()+,=;$!*'%}; checked per character (a regex per document showed in profiles). */
    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > 254) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || PUNCTUATION.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A key prefix leaves room for at least one character of the key it prefixes. */
    public static final int MAX_PREFIX_CHARS = 253;

    /**
     * Whether every key under this prefix can be valid: empty, or at most {@link #MAX_PREFIX_CHARS} key
     * characters. The central node's registry and a source's own check both ask this.
     */
    public static boolean isValidPrefix(String prefix) {
        return prefix != null && (prefix.isEmpty() || prefix.length() <= MAX_PREFIX_CHARS && isValid(prefix));
    }

    public static String generate() {
        long now = System.currentTimeMillis() * 1000;
        return Long.toString(LAST.updateAndGet(last -> Math.max(last + 1, now)));
    }
}
