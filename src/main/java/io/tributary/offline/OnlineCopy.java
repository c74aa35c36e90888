package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * An online copy by partition (docs/collection-sync.md, "Online copy by partition"): a backup's reader
 * piped into a restore's writer, partition by partition, without files. The partitions are planned as a
 * backup plans them (a SQL table's by {@link SqlBackupSource}, a collection's by {@link CollectionPartitions},
 * here or on the node holding it; one snapshot); each partition's rows are then read in a
 * snapshot of their own and replace that partition of the target collection as a restore with force does
 * ({@link CollectionRestoreTarget}: staged, then swapped in one transaction by the version rule). Rows
 * stream in chunks, so memory holds a chunk per partition being copied, whatever the sizes. Target rows
 * outside every planned partition are left alone.
 */
public final class OnlineCopy {

    /** What one partition's copy did. */
    public record Copied(String name, long read, long written, long deleted, long keptNewer, long unchanged) {
    }

    /**
     * Thread pools opened per run and closed at its end: the partitions of a copy with {@code parallel > 1},
     * the compression of a backup's files.
     */
    public interface Pools {
        ExecutorService open(int threads);

        void close(ExecutorService pool);

        /** Camel's pools, named {@code name}: they show and stop with the context. */
        static Pools of(ExecutorServiceManager manager, Object owner, String name) {
            return new Pools() {
                @Override
                public ExecutorService open(int threads) {
                    return manager.newFixedThreadPool(owner, name, threads);
                }

                @Override
                public void close(ExecutorService pool) {
                    // no interrupt: one closes embedded H2's files under a partition writing its staging table
                    manager.shutdown(pool);
                }
            };
        }

        /** A small fixed pool owned by the copy, for callers without a CamelContext (the command line). */
        Pools OWNED = new Pools() {
            @Override
            public ExecutorService open(int threads) {
                return Executors.newFixedThreadPool(threads);
            }

            @Override
            public void close(ExecutorService pool) {
                pool.shutdown();
            }
        };
    }

    /**
     * Where an online copy reads: the partitions of its selection, found in one snapshot, then each planned
     * partition's rows, streamed in a snapshot of their own.
     */
    public interface Source {
        List<BackupPlan> plan(JobControl control);

        /** Streams the partition's rows to {@code out}; returns how many were read. */
        long read(BackupPlan plan, Consumer<ObjectNode> out, JobControl control);

        /**
         * After {@link #plan}: the source as {@link SourceIdentity} names it where it is kept, or null when
         * the source does not say.
         */
        default String identity() {
            return null;
        }
    }

    private final Source source;
    private final CollectionRestoreTarget target;
    private final Selection selection;
    /** The source as the manifest describes it, its key column, and its columns (a JSON null for documents). */
    private final JsonNode described;
    private final String keyColumn;
    private final JsonNode columns;
    private final JsonNode filter;
    private final String name;
    private final int parallel;
    private final Pools pools;

    /**
     * A SQL table's selected rows.
     *
     * @param dataSourceName the source's bean name, as the source is described
     * @param parallel       partitions copied at once; 1: one after the other (the seed's advice when memory is short)
     */
    public OnlineCopy(DataSource source, String dataSourceName, String table, String keyColumn, Selection selection,
                      CollectionStore store, String database, String collection, int parallel, Pools pools) {
        BackupSpec spec = BackupSpec.ofTable(dataSourceName, table, keyColumn, selection);
        SqlBackupSource sql = new SqlBackupSource(source, spec);
        this.source = new Source() {
            @Override
            public List<BackupPlan> plan(JobControl control) {
                return sql.plan(control);
            }

            @Override
            public long read(BackupPlan plan, Consumer<ObjectNode> out, JobControl control) {
                return sql.read(plan, out, control);
            }
        };
        this.selection = selection;
        this.described = sql.describe();
        this.keyColumn = sql.keyColumn();
        this.columns = sql.columns();
        this.filter = sql.filter();
        this.name = spec.name();
        this.target = new CollectionRestoreTarget(store, database + "/" + collection, database, collection);
        this.parallel = parallel;
        this.pools = pools;
    }

    /**
     * A collection's selected documents ({@link CollectionPartitions}'s plan and partitions, here or on another
     * node): keyed by {@code _key}, carrying their {@code _version}.
     *
     * @param described the source as a job shows it ({@code kind}, where, which collection)
     */
    public OnlineCopy(Source source, ObjectNode described, Selection selection, CollectionStore store, String database,
                      String collection, int parallel, Pools pools) {
        this.source = source;
        this.selection = selection;
        this.described = described;
        this.keyColumn = "_key";
        this.columns = Json.MAPPER.nullNode();
        this.filter = selection.filterJson();
        this.name = described.path("collection").asText(collection);
        this.target = new CollectionRestoreTarget(store, database + "/" + collection, database, collection);
        this.parallel = parallel;
        this.pools = pools;
    }

    /** Copies every planned partition; {@code done} hears of each as it completes (also while others fail). */
    public List<Copied> run(JobControl control, Consumer<Copied> done) {
        List<BackupPlan> plans = source.plan(control);
        BackupManifest manifest = manifest(plans);
        target.prepare(manifest);
        List<Copied> copied = new ArrayList<>();
        if (parallel <= 1 || plans.size() <= 1) {
            for (int i = 0; i < plans.size(); i++) {
                control.check();
                Copied c = copy(target, plans.get(i), manifest.partitions().get(i), control);
                done.accept(c);
                copied.add(c);
            }
            return copied;
        }
        // each running partition stages in an area of its own; an area is taken while a partition runs
        BlockingQueue<String> areas = new ArrayBlockingQueue<>(parallel);
        for (int i = 1; i <= parallel; i++) {
            areas.add("p" + i);
        }
        ExecutorService pool = pools.open(Math.min(parallel, plans.size()));
        try {
            List<Future<Copied>> futures = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) {
                BackupPlan plan = plans.get(i);
                BackupManifest.Partition partition = manifest.partitions().get(i);
                futures.add(pool.submit(() -> {
                    control.check();
                    String area = areas.take();
                    try {
                        Copied c = copy(target.inStagingArea(area), plan, partition, control);
                        done.accept(c);
                        return c;
                    } finally {
                        areas.add(area);
                    }
                }));
            }
            for (Future<Copied> f : futures) {
                copied.add(await(f, futures, control));
            }
            return copied;
        } finally {
            pools.close(pool);
            awaitPartitions(pool, control);
        }
    }

    /**
     * The copy ends once every partition has, also after a failure stopped the others: a partition still
     * staging or swapping would change the target after the job's end was answered, and a next job on the
     * target would share its staging area.
     */
    private static void awaitPartitions(ExecutorService pool, JobControl control) {
        try {
            // bounded as the job is: a partition still reading then ends at the job's deadline itself
            pool.awaitTermination(control.remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The partition's result; a failure stops the partitions not yet done and is thrown as it was. */
    private static Copied await(Future<Copied> f, List<Future<Copied>> all, JobControl control) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            // the job fails with this error; the others stop as at a cancel, also a read waiting for its source
            stopOthers(all, control);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            stopOthers(all, control);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("online copy interrupted", e);
        }
    }

    /**
     * The partitions not yet done stop at their next step, as at a cancel; those not started do not start. Not
     * by an interrupt: one closes embedded H2's files under a thread that writes, and the central database
     * fails for every connection until it is reopened.
     */
    private static void stopOthers(List<Future<Copied>> all, JobControl control) {
        control.cancel();
        all.forEach(other -> other.cancel(false));
    }

    private Copied copy(CollectionRestoreTarget into, BackupPlan plan, BackupManifest.Partition partition,
                        JobControl control) {
        long[] read = {0};
        RestoreTarget.Replaced r = into.replace(handler -> read[0] = source.read(plan, row -> handler.row(row), control),
                partition, 0, control);
        return new Copied(plan.name(), read[0], r.written(), r.deleted(), r.keptNewer(), r.unchanged());
    }

    /** What the target needs to know of the rows it gets: a backup's manifest, held in memory only. */
    private BackupManifest manifest(List<BackupPlan> plans) {
        BackupManifest.Source source = Json.MAPPER.convertValue(described, BackupManifest.Source.class);
        List<BackupManifest.Column> columnList = new ArrayList<>();
        for (JsonNode c : columns) {
            columnList.add(new BackupManifest.Column(c.path("name").asText(), c.path("type").asText()));
        }
        List<BackupManifest.Partition> partitions = plans.stream().map(p -> new BackupManifest.Partition(p.name(), null,
                p.rows(), 0, null, Json.MAPPER.convertValue(p.bounds(), BackupManifest.Bounds.class))).toList();
        return new BackupManifest(BackupManifest.FORMAT, BackupManifest.FORMAT_VERSION, name, null, null,
                source, null, null, filter.isObject() ? (ObjectNode) filter : null, columnList, keyColumn,
                new BackupManifest.Partitioning(selection.by(), selection.partitionColumn(),
                        selection.by().equals("keys") ? selection.rowsPerPartition() : null),
                partitions);
    }
}
