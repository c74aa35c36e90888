package io.tributary.offline;

import io.tributary.central.CollectionStore;
import io.tributary.http.ApiException;
import io.tributary.job.JobWork;
import io.tributary.job.Jobs;
import io.tributary.node.PeerNodes;
import io.tributary.sql.ListedTables;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Starts backup and restore jobs on the node's {@link Jobs}, after the checks only this node's settings can
 * make: the one backup directory ({@code tributary.backup.directory}), the SQL tables and other nodes a
 * backup may read ({@code tributary.sync.sql-sources.<bean>.tables}, {@code tributary.sync.peers}) and the
 * tables a restore may write ({@code tributary.restore.sql-targets.<bean>.tables}). Called by the HTTP
 * routes ({@link OfflineEndpoint}) and by YAML routes ({@link #runRestore(String)}).
 */
public class OfflineJobs implements CamelContextAware {

    /** What restore jobs may write, per DataSource bean. */
    public static final String RESTORE_TARGETS = "tributary.restore.sql-targets.";

    private Jobs jobs;
    private CollectionStore store;
    private DataSource storeDataSource;
    private Path directory = Path.of("backups");
    private CamelContext camelContext;
    private ListedTables restoreTargets = ListedTables.none(RESTORE_TARGETS, "restore target");
    private ListedTables backupSources = ListedTables.none(ListedTables.SYNC_SOURCES, "backup source");

    public void setJobs(Jobs jobs) {
        this.jobs = jobs;
    }

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    /** The central store's database: names the store in a backup's or restore's identity. */
    public void setStoreDataSource(DataSource storeDataSource) {
        this.storeDataSource = storeDataSource;
    }

    /** {@code tributary.backup.directory}: where backups are written and restored from; nowhere else. */
    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        this.restoreTargets = new ListedTables(RESTORE_TARGETS, "restore target",
                name -> camelContext.getPropertiesComponent().resolveProperty(name));
        this.backupSources = new ListedTables(ListedTables.SYNC_SOURCES, "backup source",
                name -> camelContext.getPropertiesComponent().resolveProperty(name));
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * For YAML routes: runs the backup described by the JSON body to its end and returns the job's final
     * view as JSON text; throws when it did not succeed, so the route's error handling sees it.
     */
    public String runBackup(String json) throws InterruptedException {
        return jobs.runToEnd(backup(BackupSpec.parse(json)));
    }

    /** The same for a restore. */
    public String runRestore(String json) throws InterruptedException {
        return jobs.runToEnd(restore(RestoreSpec.parse(json)));
    }

    /** The backup as a job, once this node allows it: its source is checked before any row is read. */
    public JobWork backup(BackupSpec spec) {
        if (spec.isRemote()) {
            // credentials go only to configured nodes, and a job cannot probe other hosts: before any connection
            peers().check("source.url", spec.url());
            return backupTask(Backup.ofNode(directory, spec), spec);
        }
        if (!spec.isTable()) {
            return backupTask(Backup.ofCollection(directory, spec, store, storeDataSource), spec);
        }
        backupSources.check(spec.dataSource(), spec.table());
        if (store.ownsTable(dataSource(spec.dataSource()), spec.table())) {
            throw ApiException.badParameter("refusing to back up table '" + spec.table() + "': it belongs to the central"
                    + " store itself; back up a collection by its name instead");
        }
        return backupTask(Backup.ofTable(directory, spec, dataSource(spec.dataSource())), spec);
    }

    private JobWork backupTask(Backup backup, BackupSpec spec) {
        if (camelContext != null) {
            backup.pools(OnlineCopy.Pools.of(camelContext.getExecutorServiceManager(), this, "tributary-backup-gzip"));
        }
        return new OfflineTask("backup", "backup " + spec.name(), spec.toJson(), c -> backup.run(c).toJson());
    }

    /** The restore as a job, once this node allows its target and the backup exists. */
    public JobWork restore(RestoreSpec spec) {
        if (!Files.isDirectory(directory.resolve(spec.name()))) {
            throw new ApiException(404, ApiException.NOT_FOUND, "backup '" + spec.name() + "' not found in "
                    + directory.toAbsolutePath().normalize() + " (tributary.backup.directory)");
        }
        RestoreTarget target;
        if (spec.isTable()) {
            restoreTargets.check(spec.dataSource(), spec.table());
            target = RestoreTarget.table(dataSource(spec.dataSource()), spec.table());
        } else {
            target = RestoreTarget.collection(store, storeDataSource, spec.database(), spec.collection());
        }
        // a table by its identity (which says "table"), so "orders" and "public.orders" are one target; a collection as sync names it
        String writes = spec.isTable() ? target.identity() : "collection " + spec.database() + "/" + spec.collection();
        Restore restore = new Restore(directory, spec, target);
        return new OfflineTask("restore", writes, spec.toJson(), c -> restore.run(c).toJson());
    }

    /** {@code tributary.sync.peers}: the nodes a backup may read, as for a sync. */
    private PeerNodes peers() {
        return new PeerNodes(camelContext == null ? ""
                : camelContext.getPropertiesComponent().resolveProperty(PeerNodes.PROPERTY).orElse(""));
    }

    private DataSource dataSource(String name) {
        DataSource ds = camelContext.getRegistry().lookupByNameAndType(name, DataSource.class);
        if (ds == null) {
            throw ApiException.badParameter("no DataSource bean named '" + name + "'");
        }
        return ds;
    }
}
