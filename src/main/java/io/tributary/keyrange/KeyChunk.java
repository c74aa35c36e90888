package io.tributary.keyrange;

/** The keys after the previous chunk's {@code high} up to and including {@code high}: how many, and their hash. */
public record KeyChunk(String high, long count, String hash) {

    /** Whether the other side's chunk over the same range holds the same rows. */
    public boolean sameRowsAs(KeyChunk other) {
        return count == other.count && hash.equals(other.hash);
    }
}
