package io.tributary.keyrange;

import java.util.List;

/**
 * Walks one side's per-key hashes of a key range {@code (after, upTo]} in key order, fetching
 * {@code pageSize} at a time, so a range of any size is compared in bounded memory. Runs {@code check}
 * (cancellation and timeouts) before each fetch.
 */
public final class KeyHashCursor {

    private final KeyRanges side;
    private final String upTo;
    private final int pageSize;
    private final Runnable check;
    private String after;
    private List<KeyHash> page = List.of();
    private int next;
    private boolean exhausted;

    public KeyHashCursor(KeyRanges side, String after, String upTo, int pageSize, Runnable check) {
        this.side = side;
        this.after = after;
        this.upTo = upTo;
        this.pageSize = pageSize;
        this.check = check;
    }

    /** The next key and its hash, or null at the end of the range. */
    public KeyHash next() {
        if (next == page.size()) {
            if (exhausted) {
                return null;
            }
            check.run();
            page = side.keyHashes(after, upTo, pageSize);
            next = 0;
            exhausted = page.size() < pageSize;
            if (page.isEmpty()) {
                return null;
            }
            after = page.get(page.size() - 1).key();
        }
        return page.get(next++);
    }
}
