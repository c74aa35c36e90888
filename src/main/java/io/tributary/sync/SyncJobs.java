package io.tributary.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.job.Jobs;
import io.tributary.node.PeerNodes;
import io.tributary.sql.ListedTables;
import io.tributary.offline.OnlineCopy;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Starts sync jobs on the node's {@link Jobs}, after the checks only this node's settings can make: which
 * peers and SQL tables a job may read. Called by the HTTP routes ({@link SyncJobEndpoint}) and by YAML
 * routes ({@link #run(String)}, e.g. on a schedule).
 */
public class SyncJobs implements CamelContextAware {

    private CollectionStore store;
    private Jobs jobs;
    private CamelContext camelContext;
    private int serverPort;
    private PeerNodes peers = new PeerNodes("");
    private double maxDeleteFraction = DeleteLimit.DEFAULT.maxFraction();
    private ListedTables sqlSources = ListedTables.none(ListedTables.SYNC_SOURCES, "sync source");

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    public void setJobs(Jobs jobs) {
        this.jobs = jobs;
    }

    /** This node's HTTP port: a source URL on this port and host is this node itself. */
    public void setServerPort(int serverPort) {
        this.serverPort = serverPort;
    }

    /** {@code tributary.sync.peers}: the only node URLs a job may read from (and send credentials to). */
    public void setPeers(String peers) {
        this.peers = new PeerNodes(peers);
    }

    /** {@code tributary.sync.max-delete-fraction}: more deletes than this fraction of the target need allowMassDelete. */
    public void setMaxDeleteFraction(double maxDeleteFraction) {
        this.maxDeleteFraction = new DeleteLimit(maxDeleteFraction, false).maxFraction();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        // per DataSource bean, so looked up by name when a job names one (environment variables included)
        this.sqlSources = new ListedTables(ListedTables.SYNC_SOURCES, "sync source",
                name -> camelContext.getPropertiesComponent().resolveProperty(name));
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** Starts a job; it runs in the background. */
    public ObjectNode submit(SyncSpec spec) {
        return jobs.submit(checked(spec));
    }

    /** Starts a job and waits until it ends; the final view. */
    public ObjectNode submitAndWait(SyncSpec spec) throws InterruptedException {
        return jobs.submitAndWait(checked(spec));
    }

    /**
     * For YAML routes: runs the sync described by the JSON body to its end and returns the final view as
     * JSON text; throws when the sync did not succeed, so the route's error handling sees it.
     */
    public String run(String json) throws InterruptedException {
        return jobs.runToEnd(checked(SyncSpec.parse(json)));
    }

    public Optional<ObjectNode> find(String id) {
        return jobs.find(id);
    }

    public ObjectNode list() {
        return jobs.list("sync");
    }

    public Optional<ObjectNode> cancel(String id) {
        return jobs.cancel(id);
    }

    /** The job's work, once the node allows its source; first, before any name is resolved or connection made. */
    private SyncTask checked(SyncSpec spec) {
        if (spec.isRemote()) {
            peers.check("source.url", spec.url);
        } else {
            sqlSources.check(spec.dataSource, spec.table);
        }
        SyncTask task = new SyncTask(spec, store, this::dataSource, serverPort, maxDeleteFraction);
        if (camelContext != null) {
            task.pools(camelPools());
        }
        task.validate();
        return task;
    }

    /** The pools of an online copy with parallel > 1: Camel's, so they show and stop with the context. */
    private OnlineCopy.Pools camelPools() {
        return OnlineCopy.Pools.of(camelContext.getExecutorServiceManager(), this, "tributary-online-copy");
    }

    private DataSource dataSource(String name) {
        return camelContext == null ? null : camelContext.getRegistry().lookupByNameAndType(name, DataSource.class);
    }
}
