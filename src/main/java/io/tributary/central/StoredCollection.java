package io.tributary.central;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.VersionedDocument;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One collection of the {@link CollectionStore}, written as whole rows (key, version, document): what
 * collection sync and the other copying features use. Each write is one transaction. A full copy fills
 * the collection's staging area and replaces the collection's content with it in one transaction, so
 * readers see the old content until that commit and the new content after it, never a mix.
 */
public interface StoredCollection {

    /** Documents in the collection now. */
    long count();

    /** Key ranges with hashes, per-key hashes and rows of this collection, read in key order. */
    JdbcKeyRanges ranges();

    /**
     * {@code work} reading this collection (through {@link #ranges()}) from one snapshot: writes committed
     * meanwhile are not seen, so a long read such as a backup sees one state of the collection.
     */
    <T> T inSnapshot(Supplier<T> work);

    /**
     * Inserts or replaces these rows in one transaction, by {@link VersionRule}; keys must be distinct. A
     * database failure is an {@link IllegalStateException} naming the collection's table.
     */
    Written upsert(List<VersionedDocument> docs);

    /**
     * Writes these rows as they are, in one transaction: every row whose version or content differs from the
     * stored one is written, newer or not (the source is the truth, as for a follower's copy of its primary).
     */
    Written mirror(List<VersionedDocument> docs);

    /**
     * Gives {@link #versionRange} an index on (version, key), so a read of a version range costs the rows in
     * it, not the collection; created once, kept with the collection. Only collections read by version ask
     * for it: every other write need not keep it up to date.
     */
    void indexVersions();

    /**
     * Up to {@code limit} rows whose version is in ({@code after}, {@code upTo}], in (version, key) order,
     * after the row ({@code afterVersion}, {@code afterKey}) when that is given: a read of what changed in
     * a version range, page by page (two-way sync). Rows without a version are never in a range.
     */
    List<VersionedDocument> versionRange(BigInteger after, BigInteger upTo,
                                         BigInteger afterVersion, String afterKey, int limit);

    /** What {@link #upsert} would do, for a dry run: the same decision, nothing written or locked. */
    Written wouldUpsert(List<VersionedDocument> docs);

    /** Deletes these keys in one transaction; how many rows went. */
    int delete(List<String> keys);

    /** An empty staging area; a leftover of an interrupted copy is dropped first. */
    void createStaging();

    void stage(List<VersionedDocument> docs);

    /** Puts keys into the staging area (an incremental sync deletes them at its end). */
    void spool(List<String> keys);

    /** Up to {@code limit} staged keys after {@code after} (null: from the first), in the database's key order. */
    List<String> spooled(String after, int limit);

    /**
     * Makes the collection equal to the staging area in one transaction: rows missing from it go, the
     * others are written by {@link VersionRule}. {@code check} sees how many rows would go and of how many;
     * an exception it throws rolls everything back.
     */
    Written swap(DeleteCheck check);

    /**
     * Makes one partition of the collection equal to the staging area in one transaction: stored rows that
     * {@code inPartition} accepts and the staging area lacks go, the staged rows are written by
     * {@link VersionRule} (a stored newer version stays: {@code keptNewer}); rows outside the partition stay.
     */
    Written swapPartition(Predicate<JsonNode> inPartition, DeleteCheck check);

    void dropStaging();

    /**
     * This collection with its own staging area named {@code area} (lower-case letters and digits, at most
     * 8): several partitions of one collection are then staged and swapped at once, each in its area.
     */
    StoredCollection staging(String area);

    /** Judges a swap's deletes before it commits. */
    @FunctionalInterface
    interface DeleteCheck {
        /** Throws to refuse; nothing is changed then. */
        void check(long deleting, long rowsBefore);
    }

    /**
     * What a write did (or would do). {@code unchanged}: the stored document has the same content and the
     * same version (or neither has one); {@code conflicts}: an equal version with different content, not
     * written (at most {@link #CONFLICT_KEYS} keys are named in {@code conflictKeys}); {@code matched}: rows
     * whose key was stored already.
     */
    record Written(long written, long deleted, long keptNewer, long unchanged, long conflicts, List<String> conflictKeys,
                   long matched) {
        public static final int CONFLICT_KEYS = 10;
        public static final Written NONE = new Written(0, 0, 0, 0, 0, List.of(), 0);
    }
}
