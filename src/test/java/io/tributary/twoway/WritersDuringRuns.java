package io.tributary.twoway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Writers on both sides of a pair while runs happen. The writers may make {@link #WRITES_PER_RUN} writes
 * per run, so their pace follows the runs' (no sleeps) and a row now and then outlives the safety lag: a
 * key rewritten faster than the lag is never settled, and no run would ever take it.
 */
final class WritersDuringRuns {

    static final int WRITES_PER_RUN = 4;

    /** One write of writer {@code writer}, with its own seeded generator. */
    @FunctionalInterface
    interface Write {
        void write(int writer, Random random) throws Exception;
    }

    private WritersDuringRuns() {
    }

    /**
     * Starts {@code writers} writers and runs {@code run} until runs applied rows while they wrote; then stops
     * them. Fails if a writer failed.
     */
    static void run(long seed, int writers, Write write, Supplier<ObjectNode> run) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Semaphore permits = new Semaphore(0);
        AtomicInteger writes = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Random random = new Random(seed + w);
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            write.write(writer, random);
                            writes.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        AtomicInteger runs = new AtomicInteger();
        long[] applied = {0};
        try {
            Await.until("runs that applied rows while the writers write", Duration.ofSeconds(90), () -> {
                ObjectNode r = run.get();
                runs.incrementAndGet();
                permits.release(WRITES_PER_RUN);
                r.path("directions").forEach(d -> applied[0] += d.path("applied").asLong());
                return runs.get() >= 3 && applied[0] > 50 && writes.get() > 300;
            }, () -> "runs " + runs + ", applied " + applied[0] + ", writes " + writes);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
        assertTrue(failures.isEmpty(), () -> "writers failed: " + failures);
    }
}
