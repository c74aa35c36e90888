package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores a backup into a target (docs/offline.md, "Restore"). Everything is checked before the first
 * write: the manifest, the target's identity, each selected file's size, SHA-256 and row count; then the
 * target's rows of each partition are compared with the file's: equal ones are left alone, empty ones are
 * filled, and without {@code force} a partition holding other rows refuses the whole restore. Each
 * partition is then replaced in one transaction.
 */
public final class Restore {

    /** Backup rows per lookup of the keys the target already holds, while the files are verified. */
    private static final int BATCH = 1000;

    private final Path backupRoot;
    private final RestoreSpec spec;
    private final RestoreTarget target;

    /** @param backupRoot the directory holding backups by name */
    public Restore(Path backupRoot, RestoreSpec spec, RestoreTarget target) {
        this.backupRoot = backupRoot;
        this.spec = spec;
        this.target = target;
    }

    public RestoreReport run(JobControl control) {
        Path dir = backupRoot.resolve(spec.name());
        if (!Files.isDirectory(dir)) {
            throw new ApiException(404, ApiException.NOT_FOUND, "backup '" + spec.name() + "' not found in " + backupRoot);
        }
        BackupManifest manifest = BackupManifest.read(dir);
        if (target.identity().equals(manifest.source().identity())) {
            throw ApiException.badParameter("refused: the restore target " + target.identity()
                    + " is the source of backup '" + spec.name() + "'; restore into another table or collection");
        }
        target.prepare(manifest);
        List<BackupManifest.Partition> selected = manifest.partitions().stream()
                .filter(p -> spec.partition().matches(p.name())).toList();
        if (selected.isEmpty()) {
            throw ApiException.badParameter("no partition of backup '" + spec.name() + "' matches 'partition' pattern '"
                    + ApiException.printable(spec.partition().text()) + "'");
        }
        control.setRowsTotal(selected.stream().mapToLong(BackupManifest.Partition::rows).sum());

        // verify every selected file before anything is written; a partition the target holds no rows of is
        // filled, so its file is only checked (size, SHA-256, rows), not compared row by row
        List<PartitionFile> files = selected.stream().map(p -> new PartitionFile(dir, p)).toList();
        files.forEach(PartitionFile::checkSize);
        List<PartitionDigest> stored = target.stored(selected);
        List<PartitionDigest> backedUp = new ArrayList<>();
        long[] present = new long[selected.size()];
        for (int i = 0; i < files.size(); i++) {
            control.check();
            if (stored.get(i).count() == 0) {
                files.get(i).verify();
                backedUp.add(null);
                continue;
            }
            PartitionDigest digest = new PartitionDigest();
            BackupManifest.Partition p = selected.get(i);
            List<ObjectNode> batch = new ArrayList<>(BATCH);
            int at = i;
            files.get(i).read(row -> {
                digest.add(target.rowHash(row));
                batch.add(row);
                if (batch.size() == BATCH) {
                    present[at] += target.present(p, batch);
                    batch.clear();
                    control.check();
                }
            });
            present[i] += batch.isEmpty() ? 0 : target.present(p, batch);
            backedUp.add(digest);
        }

        // an empty partition of the target is simply filled; one holding other rows needs force
        List<String> differing = new ArrayList<>();
        List<String> occupied = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            boolean same = backedUp.get(i) == null ? selected.get(i).rows() == 0 : backedUp.get(i).sameAs(stored.get(i));
            if (!same) {
                differing.add(selected.get(i).name());
                if (stored.get(i).count() > 0) {
                    occupied.add(selected.get(i).name());
                }
            }
        }
        if (spec.force() && !occupied.isEmpty()) {
            List<String> others = target.columnsNotInBackup();
            if (!others.isEmpty()) {
                throw new ApiException(409, ApiException.CONFLICT, "refused: backup '" + spec.name() + "' lacks column(s) "
                        + String.join(", ", others) + " of the target, and force would reset them in the rows of partition(s) "
                        + String.join(", ", occupied) + "; nothing was written (restore into a table with the backup's columns)");
            }
            if (!target.scopesFilter(manifest)) {
                throw new ApiException(409, ApiException.CONFLICT, "refused: backup '" + spec.name() + "' holds only the rows"
                        + " of its filter (" + manifest.filter().path("where").asText() + "), which a collection cannot tell"
                        + " apart, so force would delete the other documents of partition(s) " + String.join(", ", occupied)
                        + "; nothing was written");
            }
        }
        if (!spec.force() && !occupied.isEmpty() && !spec.dryRun()) {
            throw new ApiException(409, ApiException.CONFLICT, "refused: partition(s) " + String.join(", ", occupied)
                    + " of the target hold rows that differ from backup '" + spec.name()
                    + "'; nothing was written (force=true replaces them)");
        }

        List<RestoreReport.Partition> results = new ArrayList<>();
        for (BackupManifest.Partition p : manifest.partitions()) {
            int i = selected.indexOf(p);
            if (i < 0) {
                results.add(new RestoreReport.Partition(p.name(), p.rows(), RestoreReport.SKIPPED, 0, 0, 0));
            } else if (!differing.contains(p.name())) {
                results.add(new RestoreReport.Partition(p.name(), p.rows(), RestoreReport.UNCHANGED, 0, 0, 0));
                control.addRowsDone(p.rows());
            } else if (spec.dryRun()) {
                boolean refused = !spec.force() && occupied.contains(p.name());
                results.add(new RestoreReport.Partition(p.name(), p.rows(), refused ? RestoreReport.REFUSED
                        : RestoreReport.RESTORED, refused ? 0 : p.rows(), refused ? 0 : stored.get(i).count() - present[i], 0));
            } else {
                control.check();
                RestoreTarget.Replaced done = target.replace(files.get(i), p, present[i], control);
                results.add(new RestoreReport.Partition(p.name(), p.rows(), RestoreReport.RESTORED, done.written(),
                        done.deleted(), done.keptNewer()));
                control.addRowsDone(p.rows());
            }
        }
        return new RestoreReport(spec.name(), spec.dryRun(), spec.force(), results);
    }
}
