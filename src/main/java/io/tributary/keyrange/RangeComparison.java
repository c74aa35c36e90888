package io.tributary.keyrange;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compares the keys of two sides range by range. Theirs cuts its keys into chunks with a hash each
 * ({@link KeyRanges#chunks}), ours hashes the same ranges. Equal ranges are done; a differing one is cut
 * into {@code fanout} smaller ranges, and so on down to {@code leafSize} keys, where their per-key hashes,
 * read in pages, are merged with our rows. What a difference means is the caller's ({@link Ours}).
 * Memory is bounded by the page sizes, not by the number of keys.
 */
public final class RangeComparison<T extends RangeComparison.Keyed> {

    /** A row of ours: its key and hash. */
    public interface Keyed {
        String key();

        String hash();
    }

    /** Our side of the comparison, and what it makes of the findings (told in key order within a range). */
    public interface Ours<T> {
        /** Our count and hash of each range {@code (after, highs[0]], (highs[0], highs[1]], ...}. */
        List<KeyChunk> rangeHashes(String after, List<String> highs);

        /** Our rows of {@code (after, upTo]} (null bounds are open), in key order. */
        void rows(String after, String upTo, Consumer<T> row);

        void onlyTheirs(String key);

        void onlyOurs(T row);

        /** The row's key is on both sides, with other hashes. */
        void differs(T row);

        /** One of their chunks is settled; a descended one after its parts. */
        void settled(KeyChunk theirs, KeyChunk ours, Outcome outcome);
    }

    /** How one of their chunks was settled. */
    public enum Outcome { SAME, BY_KEY, DESCENDED }

    public enum Option {
        /**
         * Compare the differing chunks of a page key by key at once when most chunks of the page before
         * differed: descending would hash each differing chunk again on both sides only to find differences
         * in most of its parts.
         */
        BY_KEY_WHEN_DENSE,
        /** Take our keys after their last one (or in a range they lost keys of meanwhile) as only ours, unasked. */
        OURS_ONLY_AFTER_THEIRS
    }

    /** @param keysPerRequest their per-key hashes read at a time */
    public record Sizes(int chunkSize, int chunksPerRequest, int fanout, int leafSize, int keysPerRequest) {
    }

    private final KeyRanges theirs;
    /** Their keys compared: {@code (low, high]}, null ends are open. */
    private final String low;
    private final String high;
    private final Ours<T> ours;
    private final Sizes sizes;
    private final Runnable check;
    private final Set<Option> options;
    private long theirRows;

    /** @param check run before each request (cancellation and timeouts) */
    public RangeComparison(KeyRanges theirs, String low, String high, Ours<T> ours, Sizes sizes, Runnable check,
                           Option... options) {
        this.theirs = theirs;
        this.low = low;
        this.high = high;
        this.ours = ours;
        this.sizes = sizes;
        this.check = check;
        this.options = Set.of(options);
    }

    /** Rows in their top-level chunks: all of theirs that were compared. */
    public long theirRows() {
        return theirRows;
    }

    public void run() {
        String after = low;
        boolean dense = false;
        while (true) {
            check.run();
            List<KeyChunk> page = theirs.chunks(after, high, sizes.chunkSize(), sizes.chunksPerRequest());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(c -> theirRows += c.count());
            int differing = compare(after, page, dense);
            dense = options.contains(Option.BY_KEY_WHEN_DENSE) && differing * 2 > page.size();
            KeyChunk last = page.get(page.size() - 1);
            after = last.high();
            if (page.size() < sizes.chunksPerRequest() || last.count() < sizes.chunkSize()) {
                break;
            }
        }
        // our keys after their last one (all of ours when they have none)
        rest(after, null);
    }

    /** Compares consecutive chunks of theirs, the first starting after {@code after}; how many differed. */
    private int compare(String after, List<KeyChunk> chunks, boolean byKey) {
        int differing = 0;
        List<KeyChunk> mine = ours.rangeHashes(after, chunks.stream().map(KeyChunk::high).toList());
        String from = after;
        for (int i = 0; i < chunks.size(); i++) {
            check.run();
            KeyChunk their = chunks.get(i);
            KeyChunk our = mine.get(i);
            Outcome outcome = Outcome.SAME;
            if (!their.sameRowsAs(our)) {
                differing++;
                if (byKey || their.count() <= sizes.leafSize() || our.count() == 0) {
                    compareKeys(from, their.high(), true);
                    outcome = Outcome.BY_KEY;
                } else {
                    descend(from, their);
                    outcome = Outcome.DESCENDED;
                }
            }
            ours.settled(their, our, outcome);
            from = their.high();
        }
        return differing;
    }

    /** Cuts a differing range into {@code fanout} smaller ones and compares those. */
    private void descend(String after, KeyChunk chunk) {
        int size = (int) Math.max(sizes.leafSize(), (chunk.count() + sizes.fanout() - 1) / sizes.fanout());
        String from = after;
        while (from == null || !from.equals(chunk.high())) {
            List<KeyChunk> sub = theirs.chunks(from, chunk.high(), size, sizes.fanout() + 1);
            if (sub.isEmpty()) {
                break;
            }
            compare(from, sub, false);
            from = sub.get(sub.size() - 1).high();
        }
        if (from == null || !from.equals(chunk.high())) {
            rest(from, chunk.high()); // they lost keys of this range since they listed the chunk
        }
    }

    /** Compares our keys after their last one, or in a range they lost keys of meanwhile. */
    private void rest(String after, String upTo) {
        compareKeys(after, upTo, !options.contains(Option.OURS_ONLY_AFTER_THEIRS));
    }

    /** Merges their per-key hashes of {@code (after, upTo]} (unless not asked: none) with our rows of the same range. */
    private void compareKeys(String after, String upTo, boolean askTheirs) {
        KeyHashCursor theirKeys = askTheirs
                ? new KeyHashCursor(theirs, after, upTo == null ? high : upTo, sizes.keysPerRequest(), check) : null;
        KeyHash[] next = {theirKeys == null ? null : theirKeys.next()};
        ours.rows(after, upTo, row -> {
            while (next[0] != null && next[0].key().compareTo(row.key()) < 0) {
                ours.onlyTheirs(next[0].key());
                next[0] = theirKeys.next();
            }
            if (next[0] == null || !next[0].key().equals(row.key())) {
                ours.onlyOurs(row);
                return;
            }
            if (!next[0].hash().equals(row.hash())) {
                ours.differs(row);
            }
            next[0] = theirKeys.next();
        });
        for (KeyHash key = next[0]; key != null; key = theirKeys.next()) {
            ours.onlyTheirs(key.key());
        }
    }
}
