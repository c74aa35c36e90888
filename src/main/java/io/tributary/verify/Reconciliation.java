package io.tributary.verify;

import io.tributary.keyrange.DocumentHash;
import io.tributary.keyrange.KeyChunk;
import io.tributary.keyrange.KeyRanges;
import io.tributary.keyrange.RangeComparison;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.source.CaptureMode;
import io.tributary.sync.RemoteCentralSource;
import io.tributary.job.JobControl;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One verify of a source: its table against its documents in the central collection, over the central
 * node's sync API (the same one a collection sync reads), with content hashes.
 *
 * <p><b>Incrementing and timestamp mode</b>: the central node's key ranges under the source's prefix are
 * compared with the table's ({@link RangeComparison}): a key only in the table is missing, only at the
 * central node extra, in both with another hash different. Rows the source has not sent yet
 * ({@link Backlog}) are pending instead of missing or different.
 *
 * <p><b>Change-table mode</b>: the table only holds what is not delivered yet (delivered rows are deleted),
 * so every central document without a row is expected and ranges would always differ. Instead each row
 * still in the table is looked up at the central node by key: absent is pending (the backlog), equal is
 * delivered but not yet cleaned up, other content is different (another writer under this prefix, or a
 * changed document: the source's own send would be ignored at the equal version, and its row deleted).
 *
 * <p>Memory is bounded by the page sizes, as in a collection sync; keys to repair are sent in batches.
 */
final class Reconciliation implements RangeComparison.Ours<SourceTable.Row> {

    /** Sizes of the comparison: those of collection sync, so both read the central node the same way. */
    private static final RangeComparison.Sizes SIZES = new RangeComparison.Sizes(1000, 50, 16, 64, 1000);

    private final SourceSettings settings;
    private final SourceTable table;
    private final KeyRanges central;
    private final JobControl control;
    private final Backlog backlog;
    private final VerifyReport report;
    private final CentralRepair repair;
    /** The range of document keys under the source's prefix; null ends: the prefix is empty. */
    private final String low;
    private final String high;

    Reconciliation(SourceSettings settings, boolean repair, JobControl control) {
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

    VerifyReport run() {
        long started = System.nanoTime();
        if (settings.mode() == CaptureMode.CHANGE_TABLE) {
            lookUpBacklog();
        } else {
            compareRanges();
        }
        if (repair != null) {
            repair.flush();
        }
        report.durationMillis = (System.nanoTime() - started) / 1_000_000;
        return report;
    }

    // ---- change-table mode -------------------------------------------------------------------------

    private void lookUpBacklog() {
        table.scan(low, null, 0, rows -> {
            control.check();
            Map<String, String> there = central.documents(rows.stream().map(SourceTable.Row::key).toList()).stream()
                    .collect(Collectors.toMap(VersionedDocument::key, d -> DocumentHash.of(d.key(), null, d.json())));
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

    // ---- incrementing and timestamp mode: the central node's chunks are theirs, the table ours ------

    private void compareRanges() {
        var comparison = new RangeComparison<>(central, low, high, this, SIZES, control::check);
        comparison.run();
        report.centralDocuments += comparison.theirRows();
    }

    @Override
    public List<KeyChunk> rangeHashes(String after, List<String> highs) {
        KeyChunk.Ranges ranges = new KeyChunk.Ranges(highs);
        table.scan(after, highs.get(highs.size() - 1), 0, rows -> {
            control.check();
            rows.forEach(row -> ranges.add(row.key(), row.hash()));
        });
        return ranges.finish();
    }

    @Override
    public void rows(String after, String upTo, Consumer<SourceTable.Row> row) {
        table.scan(after, upTo, 0, rows -> rows.forEach(r -> {
            report.sourceRows++;
            row.accept(r);
        }));
    }

    @Override
    public void onlyTheirs(String key) {
        report.extra.add(key);
    }

    @Override
    public void onlyOurs(SourceTable.Row row) {
        if (backlog.pending(row)) {
            report.pending.add(row.key());
        } else {
            report.missing.add(row.key());
            toRepair(row.key());
        }
    }

    @Override
    public void differs(SourceTable.Row row) {
        if (backlog.pending(row)) {
            report.pending.add(row.key());
        } else {
            differs(row.key());
        }
    }

    @Override
    public void settled(KeyChunk theirs, KeyChunk ours, RangeComparison.Outcome outcome) {
        report.chunksCompared++;
        if (outcome == RangeComparison.Outcome.SAME) {
            report.sourceRows += ours.count();
        } else {
            report.chunksDiffering++;
        }
    }

    private void differs(String key) {
        report.different.add(key);
        toRepair(key);
    }

    private void toRepair(String key) {
        if (repair != null) {
            repair.add(key);
        }
    }
}
