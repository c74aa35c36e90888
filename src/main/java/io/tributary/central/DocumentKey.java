package io.tributary.central;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** ArangoDB's document key rules, and the keys generated for documents that come without one. */
public final class DocumentKey {

    /** 1 to 254 characters out of ArangoDB's allowed set (all single-byte, so characters = bytes). */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-:.@()+,=;$!*'%]{1,254}");

    /** Microseconds since the epoch, never repeating within this process: time-ordered like ArangoDB's keys. */
    private static final AtomicLong LAST = new AtomicLong();

    private DocumentKey() {
    }

    public static boolean isValid(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    public static String generate() {
        long now = System.currentTimeMillis() * 1000;
        return Long.toString(LAST.updateAndGet(last -> Math.max(last + 1, now)));
    }
}
