package io.tributary.sync;

import io.tributary.central.StoredCollection;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.KeyChunk;
import io.tributary.keyrange.KeyHash;
import io.tributary.keyrange.KeyRanges;
import io.tributary.keyrange.VersionedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One sync of a source into a central collection.
 *
 * <p><b>Full</b>: pages of the source, in key order, go into a staging table; one transaction then makes
 * the collection equal to it ({@link StoredCollection#swap}).
 *
 * <p><b>Incremental</b>: the source cuts its keys into chunks and sends a hash per chunk; the target hashes
 * the same key ranges. Equal ranges are done. A differing range is cut again into {@code fanout} smaller
 * ranges, and so on until a range has at most {@code leafSize} keys; there per-key hashes are merged with
 * the target's, and only documents that differ are fetched, keys the source lacks are deleted. Every list
 * held is bounded by the chunk, page or batch size: memory does not grow with the collection.
 */
public final class SyncEngine {

    /** Sizes of the comparison; defaults suit collections of thousands to hundreds of millions of rows. */
    public record Sizes(int chunkSize, int chunksPerRequest, int fanout, int leafSize, int batchSize) {
        public static final Sizes DEFAULT = new Sizes(1000, 50, 16, 64, 1000);
    }

    private final KeyRanges source;
    private final StoredCollection target;
    private final JdbcKeyRanges targetRanges;
    private final SyncControl control;
    private final Sizes sizes;
    private final DeleteLimit deleteLimit;
    private final SyncReport report = new SyncReport();
    /** Target documents when the sync started: what the delete limit is a fraction of. */
    private long targetRows;
    /** Source rows seen by the comparison (top-level chunks): what a full copy would read. */
    private long sourceRowsCompared;

    /** @param target null: the target collection does not exist yet, which only a dry run accepts */
    public SyncEngine(KeyRanges source, StoredCollection target, SyncControl control, Sizes sizes,
                      DeleteLimit deleteLimit) {
        this.source = source;
        this.target = target;
        this.targetRanges = target == null ? null : target.ranges();
        this.control = control;
        this.sizes = sizes;
        this.deleteLimit = deleteLimit;
    }

    public SyncReport run(boolean incremental, boolean dryRun) {
        long started = System.nanoTime();
        report.incremental = incremental;
        report.dryRun = dryRun;
        control.check();
        report.rowsTotal = source.count();
        control.rowsTotal.set(report.rowsTotal);
        try {
            if (target == null) {
                wouldCreate(dryRun);
                return report;
            }
            targetRows = target.count();
            if (!dryRun && report.rowsTotal == 0 && deleteLimit.exceeded(targetRows, targetRows, true)) {
                // refused before anything is read or written; the full copy checks again on what it read
                throw deleteLimit.refusal(targetRows, targetRows, true, "nothing was changed");
            }
            if (incremental) {
                compareAll(dryRun);
            } else if (dryRun) {
                wouldCopyAll();
            } else {
                copyAll();
            }
        } finally {
            report.bytesReceived = source.bytesReceived();
            report.bytesSent = source.bytesSent();
            report.durationMillis = (System.nanoTime() - started) / 1_000_000;
        }
        return report;
    }

    public SyncReport report() {
        return report;
    }

    /**
     * A dry run into a collection that does not exist yet: a sync would create it and copy every source
     * row, so the source's count is the answer; nothing needs comparing or reading.
     */
    private void wouldCreate(boolean dryRun) {
        if (!dryRun) {
            throw new IllegalStateException("only a dry run may leave the target collection uncreated");
        }
        report.rowsTransferred = report.rowsTotal;
        control.rowsDone.set(report.rowsTotal);
    }

    // ---- full ----------------------------------------------------------------------------------

    /** Every source row in key order, a page at a time; how many there were. */
    private long forEachSourcePage(Consumer<List<VersionedDocument>> action) {
        long read = 0;
        String after = null;
        while (true) {
            control.check();
            List<VersionedDocument> page = source.page(after, sizes.batchSize());
            if (page.isEmpty()) {
                return read;
            }
            action.accept(page);
            read += page.size();
            control.rowsDone.addAndGet(page.size());
            after = page.get(page.size() - 1).key();
            // a short page is not the end: a remote source cuts pages of large documents short by size
        }
    }

    private void copyAll() {
        target.createStaging();
        try {
            long staged = forEachSourcePage(target::stage);
            control.check();
            boolean sourceEmpty = staged == 0;
            report.add(target.swap((deleting, before) -> {
                if (deleteLimit.exceeded(deleting, before, sourceEmpty)) {
                    throw deleteLimit.refusal(deleting, before, sourceEmpty, "nothing was changed");
                }
            }));
        } finally {
            target.dropStaging();
        }
    }

    /**
     * A dry run of a full copy: every source row is decided against the target as the copy would decide
     * it (conflicts included), nothing is written; target rows no source row matched would be deleted.
     */
    private void wouldCopyAll() {
        long[] matched = {0};
        long read = forEachSourcePage(page -> {
            StoredCollection.Written w = target.wouldUpsert(page);
            report.add(w);
            matched[0] += w.matched();
        });
        report.rowsDeleted = targetRows - matched[0];
        report.massDelete = deleteLimit.exceeded(report.rowsDeleted, targetRows, read == 0);
    }

    // ---- incremental -----------------------------------------------------------------------------

    private void compareAll(boolean dryRun) {
        Differences diff = new Differences(dryRun);
        try {
            compareAll(diff);
        } finally {
            diff.close();
        }
    }

    private void compareAll(Differences diff) {
        String after = null;
        boolean dense = false;
        while (true) {
            control.check();
            List<KeyChunk> page = source.chunks(after, null, sizes.chunkSize(), sizes.chunksPerRequest());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(c -> sourceRowsCompared += c.count());
            int differing = compare(after, page, diff, dense);
            // changes spread over most chunks: descending would hash each differing chunk again on both
            // sides only to find differences in most of its parts, so the next page compares keys at once
            dense = differing * 2 > page.size();
            KeyChunk last = page.get(page.size() - 1);
            after = last.high();
            if (page.size() < sizes.chunksPerRequest() || last.count() < sizes.chunkSize()) {
                break;
            }
        }
        // target keys after the source's last key (all of them when the source is empty)
        removeTargetRange(after, null, diff);
        diff.finish();
    }

    /**
     * Compares consecutive source chunks, the first starting after {@code after}, with the target's same
     * ranges; returns how many differed.
     *
     * @param perKey compare a differing chunk key by key instead of descending into smaller ranges
     */
    private int compare(String after, List<KeyChunk> chunks, Differences diff, boolean perKey) {
        int differing = 0;
        List<KeyChunk> mine = targetRanges.rangeHashes(after, KeyChunk.highs(chunks));
        String low = after;
        for (int i = 0; i < chunks.size(); i++) {
            control.check();
            KeyChunk theirs = chunks.get(i);
            KeyChunk ours = mine.get(i);
            report.chunksCompared++;
            if (theirs.sameRowsAs(ours)) {
                control.rowsDone.addAndGet(theirs.count());
            } else {
                report.chunksDiffering++;
                differing++;
                if (perKey || theirs.count() <= sizes.leafSize() || ours.count() == 0) {
                    compareKeys(low, theirs.high(), diff);
                    control.rowsDone.addAndGet(theirs.count());
                } else {
                    descend(low, theirs, diff);
                }
            }
            low = theirs.high();
        }
        return differing;
    }

    /** Cuts a differing range into {@code fanout} smaller ones and compares those. */
    private void descend(String low, KeyChunk chunk, Differences diff) {
        int size = (int) Math.max(sizes.leafSize(), (chunk.count() + sizes.fanout() - 1) / sizes.fanout());
        String from = low;
        while (from == null || !from.equals(chunk.high())) {
            List<KeyChunk> sub = source.chunks(from, chunk.high(), size, sizes.fanout() + 1);
            if (sub.isEmpty()) {
                break;
            }
            compare(from, sub, diff, false);
            from = sub.get(sub.size() - 1).high();
        }
        if (from == null || !from.equals(chunk.high())) {
            // the source lost keys of this range since it listed the chunk
            removeTargetRange(from, chunk.high(), diff);
        }
    }

    /** Merges source and target per-key hashes of {@code (low, high]}, both read in pages. */
    private void compareKeys(String low, String high, Differences diff) {
        KeyHashCursor theirs = keyCursor(source, low, high);
        KeyHashCursor ours = keyCursor(targetRanges, low, high);
        KeyHash s = theirs.next();
        KeyHash t = ours.next();
        while (s != null || t != null) {
            int order = s == null ? 1 : t == null ? -1 : s.key().compareTo(t.key());
            if (order < 0) {
                diff.fetch(s.key());
                s = theirs.next();
            } else if (order > 0) {
                diff.delete(t.key());
                t = ours.next();
            } else {
                if (!s.hash().equals(t.hash())) {
                    diff.fetch(s.key());
                }
                s = theirs.next();
                t = ours.next();
            }
        }
    }

    private void removeTargetRange(String after, String upTo, Differences diff) {
        KeyHashCursor ours = keyCursor(targetRanges, after, upTo);
        for (KeyHash t = ours.next(); t != null; t = ours.next()) {
            diff.delete(t.key());
        }
    }

    /**
     * Keys to fetch and keys to delete. Fetched documents are written in batches as they come. Keys to
     * delete are only counted in a dry run; in a real run they are spooled into the staging table and
     * deleted at the end, once their number is known to be within the delete limit: a refused sync has
     * deleted nothing.
     */
    private final class Differences {
        private final boolean dryRun;
        private final List<String> fetch = new ArrayList<>();
        private final List<String> delete = new ArrayList<>();
        private long deleting;
        private boolean spooling;

        Differences(boolean dryRun) {
            this.dryRun = dryRun;
        }

        void fetch(String key) {
            fetch.add(key);
            if (fetch.size() >= sizes.batchSize()) {
                applyFetch();
            }
        }

        void delete(String key) {
            delete.add(key);
            deleting++;
            if (delete.size() >= sizes.batchSize()) {
                spoolDelete();
            }
        }

        /** Writes what is left, then deletes what was spooled, unless that is a mass delete. */
        void finish() {
            applyFetch();
            boolean massDelete = deleteLimit.exceeded(deleting, targetRows, sourceRowsCompared == 0);
            if (dryRun) {
                report.rowsDeleted = deleting;
                report.massDelete = massDelete;
                return;
            }
            if (massDelete) {
                throw refusal();
            }
            spoolDelete();
            if (spooling) {
                applyDeletes();
            }
        }

        void close() {
            if (spooling) {
                target.dropStaging();
            }
        }

        private DeleteLimit.MassDeleteRefused refusal() {
            return deleteLimit.refusal(deleting, targetRows, sourceRowsCompared == 0, "nothing was deleted ("
                    + report.rowsTransferred + " differing documents were written before the count was known)");
        }

        /**
         * In a dry run, what a real run would write: the fetched documents against the target's versions,
         * so a target document kept as newer is not counted as transferred.
         */
        private void applyFetch() {
            if (fetch.isEmpty()) {
                return;
            }
            control.check();
            List<VersionedDocument> docs = source.documents(fetch);
            report.add(dryRun ? target.wouldUpsert(docs) : target.upsert(docs));
            fetch.clear();
        }

        private void spoolDelete() {
            if (delete.isEmpty()) {
                return;
            }
            if (!dryRun) {
                if (deleteLimit.exceeded(deleting, targetRows, false)) {
                    throw refusal(); // already too many: no need to compare the rest
                }
                if (!spooling) {
                    target.createStaging();
                    spooling = true;
                }
                target.spool(delete);
            }
            delete.clear();
        }

        /** Asks the source once more before deleting: a key it gained meanwhile is written, not deleted. */
        private void applyDeletes() {
            String after = null;
            while (true) {
                control.check();
                List<String> keys = target.spooled(after, sizes.batchSize());
                if (keys.isEmpty()) {
                    return;
                }
                after = keys.get(keys.size() - 1);
                List<VersionedDocument> back = source.documents(keys);
                if (!back.isEmpty()) {
                    keys = new ArrayList<>(keys);
                    keys.removeAll(back.stream().map(VersionedDocument::key).collect(Collectors.toSet()));
                    report.add(target.upsert(back));
                }
                report.rowsDeleted += target.delete(keys);
            }
        }
    }

    /** Twice a batch per request: a whole chunk of the default size, plus target extras, in one request. */
    private KeyHashCursor keyCursor(KeyRanges side, String after, String upTo) {
        return new KeyHashCursor(side, after, upTo, Math.min(SyncSourceEndpoint.MAX_KEYS, 2 * sizes.batchSize()), control);
    }
}
