package io.tributary.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.job.JobWork;
import io.tributary.json.Json;
import io.tributary.keyrange.JdbcKeyRanges;
import io.tributary.keyrange.KeyRanges;
import io.tributary.offline.NodePartitions;
import io.tributary.offline.OnlineCopy;
import io.tributary.sql.Jdbc;
import io.tributary.sql.ListedTables;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link SyncSpec} into a running {@link SyncEngine}: resolves the source, opens the target
 * collection, and refuses a sync whose source is its own target. Shared by the job runner and the
 * command line.
 */
public final class SyncTask implements JobWork {

    private static final Logger LOG = LoggerFactory.getLogger(SyncTask.class);

    private final SyncSpec spec;
    private final CollectionStore store;
    private final Function<String, DataSource> dataSources;
    private final int localPort;
    private final double maxDeleteFraction;
    private volatile SyncEngine engine;
    private volatile SyncReport copyReport;
    private OnlineCopy.Pools pools = OnlineCopy.Pools.OWNED;
    /** An online copy of a SQL table, made when validated: its table, columns and filter are checked then. */
    private OnlineCopy sqlCopy;

    /**
     * @param dataSources finds a source DataSource by bean name (null when there is none)
     * @param localPort   this node's HTTP port, to recognise a URL pointing at itself; 0 when not serving
     * @param maxDeleteFraction the largest fraction of the target a sync deletes without {@code allowMassDelete}
     */
    public SyncTask(SyncSpec spec, CollectionStore store, Function<String, DataSource> dataSources, int localPort,
                    double maxDeleteFraction) {
        this.spec = spec;
        this.store = store;
        this.dataSources = dataSources;
        this.localPort = localPort;
        this.maxDeleteFraction = maxDeleteFraction;
    }

    /** Where the partitions of an online copy with parallel > 1 run; by default a pool the copy owns. */
    void pools(OnlineCopy.Pools pools) {
        this.pools = pools;
    }

    /**
     * Checks that can fail before a job is accepted: a system catalog, an unknown DataSource, source and
     * target the same. Which sources a node's jobs may use at all is checked before, by the job runner.
     */
    public void validate() {
        if (spec.isRemote()) {
            if (spec.sourceDatabase.equals(spec.targetDatabase) && spec.sourceCollection.equals(spec.targetCollection)
                    && pointsAtThisNode(spec.url)) {
                throw ApiException.badParameter("refusing to sync a collection into itself: source and target are the same");
            }
            return;
        }
        ListedTables.refuseSystemCatalog(spec.table);
        if (store.ownsTable(dataSource(), spec.table)) {
            throw ApiException.badParameter("refusing to read table '" + spec.table + "': it belongs to the central"
                    + " store itself; to copy a collection, give its node's \"url\" and \"collection\" as the source");
        }
        if (spec.partitioned() && sqlCopy == null) {
            // as a backup's: a wrong column or filter is a 400 at submission, not a job that fails
            sqlCopy = new OnlineCopy(dataSource(), spec.dataSource, spec.table, spec.keyColumn, spec.selection,
                    store, spec.targetDatabase, spec.targetCollection, spec.parallel, pools);
        }
    }

    @Override
    public String kind() {
        return "sync";
    }

    @Override
    public String writes() {
        return "collection " + spec.targetId();
    }

    @Override
    public ObjectNode describe() {
        return spec.toJson();
    }

    @Override
    public long maxWaitSeconds() {
        return spec.maxWaitSeconds;
    }

    @Override
    public String timeoutHint() {
        // an online copy by partition has no incremental mode
        return spec.partitioned() ? "narrow the filter, or copy more partitions at once with parallel"
                : "use incremental: true to transfer less";
    }

    @Override
    public ObjectNode run(JobControl control) {
        return sync(control).toJson();
    }

    @Override
    public ObjectNode partialResult() {
        SyncReport r = report();
        return r == null ? null : r.toJson();
    }

    public SyncReport sync(JobControl control) {
        validate(); // the job runner checked before accepting; the command line comes straight here
        if (spec.partitioned()) {
            return copyByPartition(control);
        }
        KeyRanges source = spec.isRemote()
                ? new RemoteCentralSource(spec.url, spec.sourceDatabase, spec.sourceCollection, spec.username,
                        spec.password, control)
                : sqlTable();
        SyncEngine.Sizes d = SyncEngine.Sizes.DEFAULT;
        SyncEngine.Sizes sizes = new SyncEngine.Sizes(spec.chunkSize, d.chunksPerRequest(), d.fanout(), d.leafSize(),
                d.batchSize());
        engine = new SyncEngine(source, this::target, control, sizes, new DeleteLimit(maxDeleteFraction, spec.allowMassDelete));
        if (spec.mirror) {
            engine.mirror();
        }
        SyncReport report = engine.run(spec.incremental, spec.dryRun);
        if (report.conflicts() > 0) {
            LOG.warn("Sync into {}/{} {} {} document(s) with the stored _version but different content, first keys {}:"
                    + " see conflicts in docs/collection-sync.md", spec.targetDatabase, spec.targetCollection,
                    spec.dryRun ? "would leave" : "left", report.conflicts(), report.conflictKeys);
        }
        return report;
    }

    /** An online copy by partition (docs/collection-sync.md, "Online copy by partition"). */
    private SyncReport copyByPartition(JobControl control) {
        long start = System.nanoTime();
        SyncReport report = new SyncReport();
        report.partitions = new ArrayList<>();
        copyReport = report;
        OnlineCopy copy;
        if (spec.isRemote()) {
            NodePartitions source = new NodePartitions(spec.url, spec.sourceDatabase, spec.sourceCollection,
                    spec.username, spec.password, spec.selection, control);
            ObjectNode described = Json.MAPPER.createObjectNode().put("kind", "collection")
                    .put("database", spec.sourceDatabase).put("collection", spec.sourceCollection).put("identity", spec.url);
            copy = new OnlineCopy(source, described, spec.selection, store,
                    spec.targetDatabase, spec.targetCollection, spec.parallel, pools);
        } else {
            copy = sqlCopy; // made by validate()
        }
        copy.run(control, report::add);
        report.durationMillis = (System.nanoTime() - start) / 1_000_000;
        return report;
    }

    private JdbcKeyRanges sqlTable() {
        Jdbc jdbc = new Jdbc(dataSource());
        return new JdbcKeyRanges(jdbc, SqlTableRows.of(jdbc, spec.table, spec.keyColumn));
    }

    /** The target collection, created unless this is a dry run; null when a dry run finds it missing. */
    private StoredCollection target() {
        try {
            // a dry run must not even create the target collection
            return store.collection(spec.targetDatabase, spec.targetCollection, !spec.dryRun);
        } catch (ApiException e) {
            if (spec.dryRun && e.errorNum() == ApiException.COLLECTION_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** What the sync did so far, also when it failed; null before it started comparing or copying. */
    public SyncReport report() {
        SyncReport copied = copyReport;
        if (copied != null) {
            return copied;
        }
        SyncEngine e = engine;
        return e == null ? null : e.report();
    }

    private DataSource dataSource() {
        DataSource ds = dataSources.apply(spec.dataSource);
        if (ds == null) {
            throw ApiException.badParameter("no DataSource bean named '" + spec.dataSource + "'");
        }
        return ds;
    }

    /** Whether the URL names this process: the same port on a loopback or local address. */
    private boolean pointsAtThisNode(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
        if (port != localPort) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(uri.getHost());
            return address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
