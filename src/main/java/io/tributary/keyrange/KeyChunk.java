package io.tributary.keyrange;

import java.util.ArrayList;
import java.util.List;

/** The keys after the previous chunk's {@code high} up to and including {@code high}: how many, and their hash. */
public record KeyChunk(String high, long count, String hash) {

    /** Whether the other side's chunk over the same range holds the same rows. */
    public boolean sameRowsAs(KeyChunk other) {
        return count == other.count && hash.equals(other.hash);
    }

    /**
     * Counts and hashes rows, added in key order (none past the last high), into the ranges
     * {@code (after, highs[0]], (highs[0], highs[1]], ...}: one side's answer to the other side's chunks.
     */
    public static final class Ranges {
        private final List<String> highs;
        private final List<KeyChunk> chunks;
        private final DocumentHash.Range range = new DocumentHash.Range();

        public Ranges(List<String> highs) {
            this.highs = highs;
            this.chunks = new ArrayList<>(highs.size());
        }

        public void add(String key, String rowHash) {
            while (key.compareTo(highs.get(chunks.size())) > 0) {
                close();
            }
            range.add(rowHash);
        }

        /** One chunk per high, empty ranges included. */
        public List<KeyChunk> finish() {
            while (chunks.size() < highs.size()) {
                close();
            }
            return chunks;
        }

        private void close() {
            chunks.add(new KeyChunk(highs.get(chunks.size()), range.count(), range.finish()));
        }
    }
}
