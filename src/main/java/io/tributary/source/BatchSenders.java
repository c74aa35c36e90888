package io.tributary.source;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that send one source's batches (the split's {@code executorService}): at most
 * {@code parallelBatches} requests of a source are in flight. Daemon threads named after the source,
 * so a thread dump or log line says whose batch it is, and a stopping JVM never waits for them. Idle
 * threads end after a minute, so the pool of a source that was reloaded or removed leaves nothing behind.
 */
public final class BatchSenders {

    private static final long IDLE_SECONDS = 60;

    private BatchSenders() {
    }

    /** Template bean factory: {@code factoryMethod: pool}. */
    public static ExecutorService pool(String sourceId, int threads) {
        if (threads < 1 || threads > 32) {
            throw new IllegalArgumentException("Source '" + sourceId + "': parallelBatches must be 1 to 32, not " + threads);
        }
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, "tributary-" + sourceId + "-sender-" + number.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
