package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;

/**
 * Backs up a selection of a table or collection (this node's or another's) into {@code <root>/<name>} (docs/offline.md): one gzip'd
 * JSON Lines file per partition, then the manifest; the directory appears under its name only when
 * complete ({@link BackupWriter}). Rows stream from the source's snapshot to the files: memory does not
 * grow with the table. A dry run reports the partitions and their rows and writes nothing.
 */
public final class Backup {

    private final Path root;
    private final BackupSpec spec;
    private final BackupSource source;
    private final BackupWriter.Disk disk;
    private OnlineCopy.Pools pools = OnlineCopy.Pools.OWNED;

    Backup(Path root, BackupSpec spec, BackupSource source) {
        this(root, spec, source, BackupWriter.LOCAL);
    }

    Backup(Path root, BackupSpec spec, BackupSource source, BackupWriter.Disk disk) {
        this.root = root;
        this.spec = spec;
        this.source = source;
        this.disk = disk;
    }

    /** A backup of a collection of {@code store}; {@code storeDataSource} names the store in the backup's identity. */
    public static Backup ofCollection(Path root, BackupSpec spec, CollectionStore store, DataSource storeDataSource) {
        StoredCollection collection = store.collection(spec.database(), spec.collection(), false);
        return new Backup(root, spec, new CollectionBackupSource(collection,
                SourceIdentity.ofCollection(storeDataSource, spec.database(), spec.collection()), spec));
    }

    /**
     * A backup of another node's collection ({@link BackupSpec#isRemote}), read over its sync API with the
     * spec's credentials, every request under the job's control.
     */
    public static Backup ofNode(Path root, BackupSpec spec) {
        return new Backup(root, spec, new NodeBackupSource(spec, control -> new NodePartitions(spec.url(),
                spec.database(), spec.collection(), spec.username(), spec.password(), spec.selection(), control)));
    }

    /** A SQL table's backup. */
    public static Backup ofTable(Path root, BackupSpec spec, DataSource dataSource) {
        return new Backup(root, spec, new SqlBackupSource(dataSource, spec));
    }

    /** Where the compression of a table's partition files runs (one thread per core); a small owned pool by default. */
    void pools(OnlineCopy.Pools pools) {
        this.pools = pools;
    }

    public BackupReport run(JobControl control) {
        Instant created = Instant.now();
        List<BackupReport.Partition> written = new ArrayList<>();
        if (spec.dryRun()) {
            source.read(new Reader(null, written), control);
            return new BackupReport(spec.name(), true, null, written);
        }
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService compression = spec.compression().pooled && source.onePartitionAtATime() && threads > 1
                ? pools.open(threads) : null;
        try (BackupWriter writer = new BackupWriter(root, spec.name(), spec.compression(), spec.compressionLevel(), disk,
                compression, source.onePartitionAtATime() ? threads : 1)) {
            Reader reader = new Reader(writer, written);
            source.read(reader, control);
            ObjectNode manifest = Json.MAPPER.createObjectNode().put("format", BackupManifest.FORMAT)
                    .put("formatVersion", BackupManifest.FORMAT_VERSION).put("name", spec.name())
                    .put("createdAt", created.toString()).put("completedAt", Instant.now().toString());
            manifest.set("source", source.describe());
            manifest.put("readAt", reader.readAt);
            manifest.set("position", reader.position);
            manifest.set("filter", source.filter());
            manifest.set("columns", source.columns());
            manifest.put("keyColumn", source.keyColumn());
            ObjectNode partitioning = manifest.putObject("partitioning").put("by", spec.by());
            if (spec.partitionColumn() != null) {
                partitioning.put("column", spec.partitionColumn());
            }
            if (spec.by().equals("keys")) {
                partitioning.put("rowsPerPartition", spec.rowsPerPartition());
            }
            Path dir = writer.complete(manifest);
            return new BackupReport(spec.name(), false, dir.toAbsolutePath().normalize().toString(), written);
        } finally {
            if (compression != null) {
                pools.close(compression);
            }
        }
    }

    /** Streams each partition of the source into its file. */
    private static final class Reader implements BackupSource.Reader {

        private final BackupWriter writer;
        private final List<BackupReport.Partition> written;
        private final Map<String, BackupWriter.PartitionOutput> open = new HashMap<>();
        String readAt;
        JsonNode position;

        Reader(BackupWriter writer, List<BackupReport.Partition> written) {
            this.writer = writer;
            this.written = written;
        }

        @Override
        public boolean planned(String readAt, JsonNode position, List<BackupPlan> partitions) {
            this.readAt = readAt;
            this.position = position;
            if (writer == null) {
                partitions.forEach(p -> written.add(new BackupReport.Partition(p.name(), p.rows(), 0, null)));
                return false;
            }
            return true;
        }

        @Override
        public boolean writes() {
            return writer != null;
        }

        @Override
        public void restart() {
            open.clear();
            written.clear();
            writer.discardPartitions();
        }

        @Override
        public BackupSource.RowOutput partition(BackupPlan plan) {
            BackupWriter.PartitionOutput out = writer.partition(plan.name(), plan.bounds());
            open.put(plan.name(), out);
            return out;
        }

        @Override
        public void partitionDone(BackupPlan plan) {
            BackupWriter.PartitionOutput out = open.remove(plan.name());
            out.close();
            ObjectNode e = out.entry();
            written.add(new BackupReport.Partition(plan.name(), e.path("rows").asLong(), e.path("bytes").asLong(),
                    e.path("sha256").asText()));
        }
    }
}
