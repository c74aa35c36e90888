package io.tributary.sync;

/** The keys after the previous chunk's {@code high} up to and including {@code high}: how many, and their hash. */
public record KeyChunk(String high, long count, String hash) {
}
