package io.tributary.keyrange;

import java.util.List;

/**
 * What a sync reads from its source: key ranges with hashes, per-key hashes, and documents. Keys are
 * ordered by their ASCII bytes on every side, so a range means the same keys at source and target.
 * Every call is a short read of its own: nothing is held open or locked between calls.
 */
public interface KeyRanges {

    /** Rows at the source now: the progress estimate. */
    long count();

    /**
     * Up to {@code maxChunks} consecutive chunks of {@code chunkSize} keys after {@code after} (null: from
     * the first key), not past {@code upTo} (null: to the last key). The last chunk may be shorter.
     */
    List<KeyChunk> chunks(String after, String upTo, int chunkSize, int maxChunks);

    /** Per-key hashes of up to {@code limit} keys in {@code (after, upTo]}. */
    List<KeyHash> keyHashes(String after, String upTo, int limit);

    /** The rows of these keys that exist (keys that do not exist are left out). */
    List<VersionedDocument> documents(List<String> keys);

    /**
     * Up to {@code limit} rows after {@code after} in key order: the full copy reads the source this way.
     * Fewer rows do not mean the end (a remote source cuts answers of large documents short); none does.
     */
    List<VersionedDocument> page(String after, int limit);

    /** Bytes received from the source so far (0 for local sources). */
    default long bytesReceived() {
        return 0;
    }

    /** Bytes sent to the source so far (0 for local sources). */
    default long bytesSent() {
        return 0;
    }
}
