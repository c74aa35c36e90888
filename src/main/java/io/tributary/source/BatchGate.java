package io.tributary.source;

import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send window of one page of a source's run. Batch {@code n} is sent only once every batch
 * before {@code n - parallelBatches + 1} has been imported, and not while an earlier batch is failing:
 * it waits while that batch is retried, goes on if the retry succeeds, and is held back (fails without
 * being sent) once the earlier batch has failed for good. So at most {@code parallelBatches - 1}
 * batches after a failing one can ever reach the central node (they are sent again by the next run),
 * however long the failing one is retried, and no batch of a run is still being sent when the run
 * has ended.
 *
 * <p>A template-local bean of the source route: {@link #reset} starts a page (a failed page ends
 * the run), {@link #check} runs before each batch's POST, {@link #imported} after its response was
 * accepted, and the route's error handler calls {@link #process} on every failed attempt
 * ({@code onExceptionOccurredRef}).
 *
 * <p>Waiting cannot deadlock: the split hands batches to a first-in-first-out pool of
 * {@code parallelBatches} threads, so while batch {@code n} waits, every batch it waits for already
 * runs on another thread.
 */
public final class BatchGate implements Processor {

    private static final long RECHECK_MS = 200;
    /** How long a new page waits for batches of the previous one still being retried (a safety bound). */
    private static final long STRAGGLER_WAIT_MS = 60_000;
    /** Marks a batch that passed {@link #check}; a fresh object per batch, since split copies properties around. */
    private static final String PASSED = "tributaryGatePassed";
    private static final Logger LOG = LoggerFactory.getLogger(BatchGate.class);

    private final int window;
    private final int maximumRedeliveries;
    private final SourceRuns runs;
    private final BitSet imported = new BitSet();
    /** Batches with a failed attempt that have not been imported since. */
    private final BitSet failing = new BitSet();
    private int failedForGood = Integer.MAX_VALUE;
    private String reason;
    /** Which page the window is counting; events of batches of an earlier page change nothing in it. */
    private long generation;
    /** Batches past {@link #check} whose outcome is not known yet, whatever their page. */
    private final Set<Passed> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());

    /** One batch past the gate: its page and its failed attempts so far. */
    private static final class Passed {
        final long generation;
        int attempts;

        Passed(long generation) {
            this.generation = generation;
        }
    }

    public BatchGate(int parallelBatches, int maximumRedeliveries, ChangeSource source) {
        this.window = Math.max(1, parallelBatches);
        this.maximumRedeliveries = maximumRedeliveries;
        this.runs = source.runs();
    }

    /**
     * Starts a page. Camel's split ends a page at its first failed batch without waiting for the
     * others, so a batch of the previous page may still be retried: the new page waits for it first, so
     * that runs never overlap.
     */
    public synchronized void reset(Exchange exchange) throws InterruptedException {
        long deadline = System.currentTimeMillis() + STRAGGLER_WAIT_MS;
        while (!inFlight.isEmpty() && !exchange.getContext().isStopping() && System.currentTimeMillis() < deadline) {
            wait(RECHECK_MS);
        }
        if (!inFlight.isEmpty() && !exchange.getContext().isStopping()) {
            LOG.warn("{} batch(es) of the previous page still unfinished after {} ms; starting the next page anyway",
                    inFlight.size(), STRAGGLER_WAIT_MS);
            inFlight.clear();
        }
        generation++;
        imported.clear();
        failing.clear();
        failedForGood = Integer.MAX_VALUE;
        reason = null;
        notifyAll();
    }

    /** A batch's attempt failed (called by the error handler before it decides on a retry). */
    @Override
    public synchronized void process(Exchange exchange) {
        Integer index = exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class);
        Passed passed = exchange.getProperty(PASSED, Passed.class);
        Throwable failure = exchange.getException();
        if (index == null || passed == null || !inFlight.contains(passed) || failure instanceof HeldBack) {
            return; // not past check(): not sent, nothing to wait for
        }
        passed.attempts++;
        runs.batchFailed();
        // the last attempt, or no retries at all while Tributary stops (allowRedeliveryWhileStopping: false)
        boolean lastAttempt = passed.attempts > maximumRedeliveries || exchange.getContext().isStopping();
        if (lastAttempt) {
            inFlight.remove(passed);
        }
        if (passed.generation == generation) {
            failing.set(index);
            if (lastAttempt && index < failedForGood) {
                failedForGood = index;
                reason = failure == null ? "unknown" : ChangeSource.reason(failure);
            }
        }
        notifyAll();
    }

    /** Before a batch is sent: waits for its place in the window and for earlier failing batches; fails it once one failed for good. */
    public void check(Exchange exchange) throws InterruptedException {
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
        String held;
        synchronized (this) {
            // also while Tributary stops: the page in flight is finished while the batches before this one are
            // still on their way (they end soon: no retries while stopping); only with none in flight is it held back
            while (failedForGood > index && mustWait(index) && (!exchange.getContext().isStopping() || !inFlight.isEmpty())) {
                wait(RECHECK_MS);
            }
            held = failedForGood < index ? "batch " + (index + 1) + " held back because batch " + (failedForGood + 1)
                    + " of this run failed: " + reason
                    : mustWait(index) ? "batch " + (index + 1) + " held back because Tributary is stopping" : null;
        }
        if (held != null) {
            exchange.getExchangeExtension().setRedeliveryExhausted(true);
            throw new HeldBack(held);
        }
        synchronized (this) {
            Passed passed = new Passed(generation);
            exchange.setProperty(PASSED, passed);
            inFlight.add(passed);
        }
    }


    private boolean mustWait(int index) {
        int earliestFailing = failing.nextSetBit(0);
        return (earliestFailing >= 0 && earliestFailing < index) || index >= imported.nextClearBit(0) + window;
    }

    /** The central node accepted the batch (possibly after failed attempts). */
    public synchronized void imported(Exchange exchange) {
        Passed passed = exchange.getProperty(PASSED, Passed.class);
        if (passed != null && inFlight.remove(passed) && passed.generation == generation) {
            int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
            imported.set(index);
            failing.clear(index);
        }
        notifyAll();
    }

    /** A batch not sent because an earlier one failed; its message carries the earlier batch's reason. */
    static final class HeldBack extends IllegalStateException {
        HeldBack(String message) {
            super(message);
        }
    }
}
