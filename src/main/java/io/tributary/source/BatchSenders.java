package io.tributary.source;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.builder.ThreadPoolProfileBuilder;

/**
 * The threads that send one source's batches (the split's {@code executorService}): at most
 * {@code parallelBatches} requests of a source are in flight. A pool of Camel's {@code ExecutorServiceManager},
 * stopped with the Camel context and named after the source, so a thread dump or log line says whose batch it
 * is. Idle threads end after a minute, so the pool of a source that was reloaded or removed leaves nothing behind.
 */
public final class BatchSenders extends AbstractExecutorService implements CamelContextAware {

    private CamelContext camelContext;
    private String sourceId;
    private int parallelBatches;
    private ExecutorService pool;

    public void setSourceId(String sourceId) {
        this.sourceId = sourceId;
    }

    public void setParallelBatches(int parallelBatches) {
        this.parallelBatches = parallelBatches;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Template bean {@code initMethod}: Camel has set the context and the properties. */
    public void init() {
        if (parallelBatches < 1 || parallelBatches > 32) {
            throw new IllegalArgumentException("Source '" + sourceId + "': parallelBatches must be 1 to 32, not " + parallelBatches);
        }
        String name = "tributary-" + sourceId + "-sender";
        pool = camelContext.getExecutorServiceManager().newThreadPool(this, name, new ThreadPoolProfileBuilder(name)
                .poolSize(parallelBatches).maxPoolSize(parallelBatches).keepAliveTime(60L, TimeUnit.SECONDS)
                .allowCoreThreadTimeOut(true).maxQueueSize(Integer.MAX_VALUE).build());
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void execute(Runnable batch) {
        pool.execute(batch);
    }

    /** Template bean {@code destroyMethod}. */
    @Override
    public void shutdown() {
        camelContext.getExecutorServiceManager().shutdown(pool);
    }

    @Override
    public List<Runnable> shutdownNow() {
        return camelContext.getExecutorServiceManager().shutdownNow(pool);
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }
}
