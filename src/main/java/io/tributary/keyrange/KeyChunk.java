package io.tributary.keyrange;

import java.util.List;

/** The keys after the previous chunk's {@code high} up to and including {@code high}: how many, and their hash. */
public record KeyChunk(String high, long count, String hash) {

    /** Whether the other side's chunk over the same range holds the same rows. */
    public boolean sameRowsAs(KeyChunk other) {
        return count == other.count && hash.equals(other.hash);
    }

    /** The upper bounds of consecutive chunks: the ranges the other side hashes to compare them. */
    public static List<String> highs(List<KeyChunk> chunks) {
        return chunks.stream().map(KeyChunk::high).toList();
    }
}
