package io.tributary.sync;

import io.tributary.central.StoredCollection;
import io.tributary.job.JobControl;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.KeyChunk;
import io.tributary.keyrange.KeyHash;
import io.tributary.keyrange.KeyHashCursor;
import io.tributary.keyrange.KeyRanges;
import io.tributary.keyrange.RangeComparison;
import io.tributary.keyrange.VersionedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    private final Supplier<StoredCollection> openTarget;
    private StoredCollection target;
    private JdbcKeyRanges targetRanges;
    private final JobControl control;
    private final Sizes sizes;
    private final DeleteLimit deleteLimit;
    private final SyncReport report = new SyncReport();
    /** Target documents when the sync started: what the delete limit is a fraction of. */
    private long targetRows;
    /** Whether differing rows are written as the source has them ({@link StoredCollection#mirror}). */
    private boolean mirror;
    /** The incremental comparison; its source rows (top-level chunks) are what a full copy would read. */
    private RangeComparison<KeyHash> comparison;

    /**
     * @param openTarget the target collection, opened (and created) once the source answered; null: the target
     *                   does not exist yet, which only a dry run accepts
     */
    public SyncEngine(KeyRanges source, Supplier<StoredCollection> openTarget, JobControl control, Sizes sizes,
                      DeleteLimit deleteLimit) {
        this.source = source;
        this.openTarget = openTarget;
        this.control = control;
        this.sizes = sizes;
        this.deleteLimit = deleteLimit;
    }

    /** Incremental syncs write differing rows as the source has them, a newer target version too (a follower). */
    public SyncEngine mirror() {
        this.mirror = true;
        return this;
    }

    public SyncReport run(boolean incremental, boolean dryRun) {
        long started = System.nanoTime();
        report.incremental = incremental;
        report.dryRun = dryRun;
        control.check();
        report.rowsTotal = source.count();
        control.setRowsTotal(report.rowsTotal);
        try {
            // only now: a sync whose source never answered leaves no new, empty target behind
            target = openTarget.get();
            targetRanges = target == null ? null : target.ranges();
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
        control.setRowsDone(report.rowsTotal);
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
            control.addRowsDone(page.size());
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
            comparison = new RangeComparison<>(source, null, null, diff, new RangeComparison.Sizes(sizes.chunkSize(),
                    sizes.chunksPerRequest(), sizes.fanout(), sizes.leafSize(), keysPerRequest()), control::check,
                    RangeComparison.Option.BY_KEY_WHEN_DENSE, RangeComparison.Option.OURS_ONLY_AFTER_THEIRS);
            comparison.run();
            diff.finish();
        } finally {
            diff.close();
        }
    }

    /**
     * The target's side of the comparison, and what its differences mean: keys the source has, or has
     * other content of, are fetched, keys only the target has are deleted. Fetched documents are written
     * in batches as they come. Keys to delete are only counted in a dry run; in a real run they are spooled
     * into the staging table and deleted at the end, once their number is known to be within the delete
     * limit: a refused sync has deleted nothing.
     */
    private final class Differences implements RangeComparison.Ours<KeyHash> {
        private final boolean dryRun;
        private final List<String> fetch = new ArrayList<>();
        private final List<String> delete = new ArrayList<>();
        private long deleting;
        private boolean spooling;

        Differences(boolean dryRun) {
            this.dryRun = dryRun;
        }

        @Override
        public List<KeyChunk> rangeHashes(String after, List<String> highs) {
            return targetRanges.rangeHashes(after, highs);
        }

        @Override
        public void rows(String after, String upTo, Consumer<KeyHash> row) {
            KeyHashCursor ours = new KeyHashCursor(targetRanges, after, upTo, keysPerRequest(), control::check);
            for (KeyHash t = ours.next(); t != null; t = ours.next()) {
                row.accept(t);
            }
        }

        @Override
        public void differs(KeyHash row) {
            onlyTheirs(row.key());
        }

        @Override
        public void settled(KeyChunk theirs, KeyChunk ours, RangeComparison.Outcome outcome) {
            report.chunksCompared++;
            if (outcome != RangeComparison.Outcome.SAME) {
                report.chunksDiffering++;
            }
            if (outcome != RangeComparison.Outcome.DESCENDED) {
                control.addRowsDone(theirs.count());
            }
        }

        @Override
        public void onlyTheirs(String key) {
            fetch.add(key);
            if (fetch.size() >= sizes.batchSize()) {
                applyFetch();
            }
        }

        @Override
        public void onlyOurs(KeyHash row) {
            delete.add(row.key());
            deleting++;
            if (delete.size() >= sizes.batchSize()) {
                spoolDelete();
            }
        }

        /** Writes what is left, then deletes what was spooled, unless that is a mass delete. */
        void finish() {
            applyFetch();
            boolean massDelete = deleteLimit.exceeded(deleting, targetRows, comparison.theirRows() == 0);
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
            return deleteLimit.refusal(deleting, targetRows, comparison.theirRows() == 0, "nothing was deleted ("
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
            report.add(dryRun ? target.wouldUpsert(docs) : mirror ? target.mirror(docs) : target.upsert(docs));
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
                    report.add(mirror ? target.mirror(back) : target.upsert(back));
                }
                report.rowsDeleted += target.delete(keys);
            }
        }
    }

    /** Twice a batch per request: a whole chunk of the default size, plus target extras, in one request. */
    private int keysPerRequest() {
        return Math.min(SyncSourceEndpoint.MAX_KEYS, 2 * sizes.batchSize());
    }
}
