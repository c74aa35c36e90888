package io.tributary.twoway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.job.Jobs;
import io.tributary.node.PeerNodes;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Starts two-way jobs on the node's {@link Jobs}, after the checks of this node's settings: which tables and
 * collections a job may read and write ({@link TwoWayTables}). Called by the HTTP route
 * ({@link TwoWayJobEndpoint}) and by YAML routes ({@link #run(String)}, the template {@code tributary-two-way}).
 */
public class TwoWayJobs implements CamelContextAware {

    private CollectionStore store;
    private Jobs jobs;
    private DataSource stateDataSource;
    private CamelContext camelContext;
    private TwoWayTables allowed;

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    public void setJobs(Jobs jobs) {
        this.jobs = jobs;
    }

    /** The central database: the pairs' state lives in its table {@code tributary_two_way}. */
    public void setStateDataSource(DataSource stateDataSource) {
        this.stateDataSource = stateDataSource;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        this.allowed = new TwoWayTables(name -> camelContext.getPropertiesComponent().resolveProperty(name));
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public ObjectNode submit(TwoWaySpec spec) {
        return jobs.submit(checked(spec));
    }

    public ObjectNode submitAndWait(TwoWaySpec spec) throws InterruptedException {
        return jobs.submitAndWait(checked(spec));
    }

    /** For YAML routes: runs the pair described by the JSON body to its end; the final view as JSON text, or throws. */
    public String run(String json) throws InterruptedException {
        return jobs.runToEnd(checked(TwoWaySpec.parse(json)));
    }

    public ObjectNode list() {
        return jobs.list("two-way");
    }

    private TwoWayTask checked(TwoWaySpec spec) {
        if (spec.bUrl != null) {
            // credentials go only to configured nodes, and a job cannot probe other hosts: before any connection
            new PeerNodes(camelContext.getPropertiesComponent().resolveProperty(PeerNodes.PROPERTY).orElse(""))
                    .check("b.url", spec.bUrl);
        }
        TwoWayTask task = new TwoWayTask(spec, store, this::dataSource, stateDataSource, allowed, UnaryOperator.identity());
        task.validate();
        return task;
    }

    private DataSource dataSource(String name) {
        return camelContext == null ? null : camelContext.getRegistry().lookupByNameAndType(name, DataSource.class);
    }
}
