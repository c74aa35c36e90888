package io.tributary.verify;

import io.tributary.source.CaptureMode;
import io.tributary.keyrange.DocumentHash;
import io.tributary.keyrange.KeyChunk;
import io.tributary.keyrange.KeyHash;
import io.tributary.sync.KeyHashCursor;
import io.tributary.sync.RemoteCentralSource;
import io.tributary.sync.SyncControl;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.keyrange.KeyRanges;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One verify of a source: its table against its documents in the central collection, over the central
 * node's sync API (the same one a collection sync reads), with content hashes.
 *
 * <p><b>Incrementing and timestamp mode</b>: the central node cuts the keys under the source's prefix into
 * chunks with hashes; the table hashes the same key ranges. Equal ranges are done; a differing one is cut
 * into {@code fanout} smaller ranges down to {@code leafSize} keys, where per-key hashes are merged: a key
 * only in the table is missing, only at the central node extra, in both with another hash different. Rows
 * the source has not sent yet ({@link Backlog}) are pending instead of missing or different.
 *
 * <p><b>Change-table mode</b>: the table only holds what is not delivered yet (delivered rows are deleted),
 * so every central document without a row is expected and ranges would always differ. Instead each row
 * still in the table is looked up at the central node by key: absent is pending (the backlog), equal is
 * delivered but not yet cleaned up, other content is different (another writer under this prefix, or a
 * changed document: the source's own send would be ignored at the equal version, and its row deleted).
 *
 * <p>Memory is bounded by the page sizes, as in a collection sync; keys to repair are sent in batches.
 */
final class Reconciliation {

    /** Sizes of the comparison: those of collection sync, so both read the central node the same way. */
    private static final int CHUNK_SIZE = 1000;
    private static final int CHUNKS_PER_REQUEST = 50;
    private static final int FANOUT = 16;
    private static final int LEAF_SIZE = 64;
    private static final int PAGE = 1000;
    private static final int REPAIR_BATCH = 100;

    private final SourceSettings settings;
    private final SourceTable table;
    private final KeyRanges central;
    private final SyncControl control;
    private final Backlog backlog;
    private final VerifyReport report;
    private final CentralRepair repair;
    private final List<String> toRepair = new ArrayList<>();
    /** The range of document keys under the source's prefix; null ends: the prefix is empty. */
    private final String low;
    private final String high;

    Reconciliation(SourceSettings settings, boolean repair, SyncControl control) {
        this.settings = settings;
        this.control = control;
        this.table = new SourceTable(settings);
        this.central = new RemoteCentralSource(settings.centralUrl(), settings.centralDatabase(), settings.collection(),
                settings.centralUsername(), settings.centralPassword(), control).byContent();
        this.backlog = Backlog.usesWatermark(settings.mode()) ? Backlog.of(settings, table.order()) : Backlog.changeTable();
        this.report = new VerifyReport(settings, repair);
        this.repair = repair ? new CentralRepair(settings, table, central, backlog, control, report) : null;
        String prefix = settings.keyPrefix();
        // every key starting with the prefix is > prefix and <= prefix + "zzz...": 'z' is the highest key character
        this.low = prefix.isEmpty() ? null : prefix;
        this.high = prefix.isEmpty() ? null : prefix + "z".repeat(Math.max(1, 254 - prefix.length()));
    }

    static VerifyReport run(SourceSettings settings, boolean repair, SyncControl control) {
        return new Reconciliation(settings, repair, control).run();
    }

    VerifyReport run() {
        long started = System.nanoTime();
        if (settings.mode() == CaptureMode.CHANGE_TABLE) {
            lookUpBacklog();
        } else {
            compareRanges();
        }
        repairNow();
        report.durationMillis = (System.nanoTime() - started) / 1_000_000;
        return report;
    }

    // ---- change-table mode -------------------------------------------------------------------------

    private void lookUpBacklog() {
        table.scan(low, null, 0, rows -> {
            control.check();
            List<String> keys = new ArrayList<>(rows.size());
            rows.forEach(r -> keys.add(r.key()));
            Map<String, String> there = new HashMap<>();
            for (VersionedDocument d : central.documents(keys)) {
                there.put(d.key(), DocumentHash.of(d.key(), null, d.json()));
            }
            for (SourceTable.Row row : rows) {
                report.sourceRows++;
                String hash = there.get(row.key());
                if (hash == null) {
                    report.pending.add(row.key());
                } else {
                    report.centralDocuments++;
                    if (!hash.equals(row.hash())) {
                        differs(row.key());
                    }
                }
            }
        });
    }

    // ---- incrementing and timestamp mode -----------------------------------------------------------

    private void compareRanges() {
        String after = low;
        while (true) {
            control.check();
            List<KeyChunk> page = central.chunks(after, high, CHUNK_SIZE, CHUNKS_PER_REQUEST);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(c -> report.centralDocuments += c.count());
            compare(after, page);
            KeyChunk last = page.get(page.size() - 1);
            after = last.high();
            if (page.size() < CHUNKS_PER_REQUEST || last.count() < CHUNK_SIZE) {
                break;
            }
        }
        // table rows after the central node's last key (all of them when it has none)
        compareKeys(after, null);
    }

    /** Compares consecutive central chunks, the first starting after {@code after}, with the table's same ranges. */
    private void compare(String after, List<KeyChunk> chunks) {
        List<KeyChunk> mine = rangeHashes(after, KeyChunk.highs(chunks));
        String from = after;
        for (int i = 0; i < chunks.size(); i++) {
            control.check();
            KeyChunk theirs = chunks.get(i);
            KeyChunk ours = mine.get(i);
            report.chunksCompared++;
            if (theirs.sameRowsAs(ours)) {
                report.sourceRows += ours.count();
            } else {
                report.chunksDiffering++;
                if (theirs.count() <= LEAF_SIZE || ours.count() == 0) {
                    compareKeys(from, theirs.high());
                } else {
                    descend(from, theirs);
                }
            }
            from = theirs.high();
        }
    }

    private void descend(String from, KeyChunk chunk) {
        int size = (int) Math.max(LEAF_SIZE, (chunk.count() + FANOUT - 1) / FANOUT);
        String at = from;
        while (at == null || !at.equals(chunk.high())) {
            List<KeyChunk> sub = central.chunks(at, chunk.high(), size, FANOUT + 1);
            if (sub.isEmpty()) {
                break;
            }
            compare(at, sub);
            at = sub.get(sub.size() - 1).high();
        }
        if (at == null || !at.equals(chunk.high())) {
            compareKeys(at, chunk.high()); // the central node lost keys of this range meanwhile
        }
    }

    /** The table's count and hash of each range {@code (after, highs[0]], (highs[0], highs[1]], ...}, in one scan. */
    private List<KeyChunk> rangeHashes(String after, List<String> highs) {
        List<KeyChunk> result = new ArrayList<>(highs.size());
        DocumentHash.Range range = new DocumentHash.Range();
        table.scan(after, highs.get(highs.size() - 1), 0, rows -> {
            control.check();
            for (SourceTable.Row row : rows) {
                while (row.key().compareTo(highs.get(result.size())) > 0) {
                    long n = range.count();
                    result.add(new KeyChunk(highs.get(result.size()), n, range.finish()));
                }
                range.add(row.hash());
            }
        });
        while (result.size() < highs.size()) {
            long n = range.count();
            result.add(new KeyChunk(highs.get(result.size()), n, range.finish()));
        }
        return result;
    }

    /**
     * Merges the central node's per-key hashes of {@code (from, upTo]} (null: to the end of the prefix),
     * read page by page, with the table's rows of the same range, read in one scan.
     */
    private void compareKeys(String from, String upTo) {
        KeyHashCursor theirs = new KeyHashCursor(central, from, upTo == null ? high : upTo, PAGE, control);
        KeyHash[] next = {theirs.next()};
        table.scan(from, upTo, 0, rows -> {
            for (SourceTable.Row t : rows) {
                while (next[0] != null && next[0].key().compareTo(t.key()) < 0) {
                    report.extra.add(next[0].key());
                    next[0] = theirs.next();
                }
                report.sourceRows++;
                boolean there = next[0] != null && next[0].key().equals(t.key());
                if (!there || !next[0].hash().equals(t.hash())) {
                    if (backlog.pending(t)) {
                        report.pending.add(t.key());
                    } else if (there) {
                        differs(t.key());
                    } else {
                        report.missing.add(t.key());
                        toRepair(t.key());
                    }
                }
                if (there) {
                    next[0] = theirs.next();
                }
            }
        });
        for (KeyHash c = next[0]; c != null; c = theirs.next()) {
            report.extra.add(c.key());
        }
    }

    private void differs(String key) {
        report.different.add(key);
        toRepair(key);
    }

    private void toRepair(String key) {
        if (repair != null) {
            toRepair.add(key);
            if (toRepair.size() >= REPAIR_BATCH) {
                repairNow();
            }
        }
    }

    private void repairNow() {
        if (repair != null && !toRepair.isEmpty()) {
            repair.repair(new ArrayList<>(toRepair));
            toRepair.clear();
        }
    }

}
