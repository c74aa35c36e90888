package io.tributary.source;

import java.util.BitSet;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The send window of one page of a source's run: batch {@code n} is sent only once every batch before
 * {@code n - parallelBatches + 1} has been imported, and never once an earlier batch has failed an
 * attempt. So at most {@code parallelBatches - 1} batches after a failing one can ever reach the
 * central node (they are sent again by the next run), however long the failing one is retried.
 *
 * <p>A template-local bean of the source route: {@link #reset} starts a page (a failed page ends
 * the run), {@link #check} runs before each batch's POST, {@link #imported} after its response was
 * accepted, and the route's error handler calls {@link #process} on every failed attempt
 * ({@code onExceptionOccurredRef}).
 *
 * <p>Waiting cannot deadlock: the split hands batches to a first-in-first-out pool of
 * {@code parallelBatches} threads, so while batch {@code n} waits, the batch it waits for already
 * runs on another thread.
 */
public final class BatchGate implements Processor {

    private final int window;
    private final BitSet imported = new BitSet();
    private int firstFailed = Integer.MAX_VALUE;
    private String reason;

    public BatchGate(int parallelBatches) {
        this.window = Math.max(1, parallelBatches);
    }

    public synchronized void reset() {
        imported.clear();
        firstFailed = Integer.MAX_VALUE;
        reason = null;
        notifyAll();
    }

    /** A batch's attempt failed (called by the error handler before it decides on a retry). */
    @Override
    public synchronized void process(Exchange exchange) {
        Integer index = exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class);
        Throwable failure = exchange.getException();
        if (index != null && index < firstFailed && !(failure instanceof HeldBack)) {
            firstFailed = index;
            reason = failure == null ? "unknown" : ChangeSource.reason(failure);
            notifyAll();
        }
    }

    /** Before a batch is sent: waits for its place in the window; fails it, without retries, once an earlier batch failed. */
    public void check(Exchange exchange) throws InterruptedException {
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
        String held;
        synchronized (this) {
            while (firstFailed > index && index >= imported.nextClearBit(0) + window) {
                wait(1000);
            }
            held = firstFailed < index ? "batch " + (index + 1) + " held back because batch " + (firstFailed + 1)
                    + " of this run failed: " + reason : null;
        }
        if (held != null) {
            exchange.getExchangeExtension().setRedeliveryExhausted(true);
            throw new HeldBack(held);
        }
    }

    /** The central node accepted the batch. */
    public synchronized void imported(Exchange exchange) {
        imported.set(exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class));
        notifyAll();
    }

    /** A batch not sent because an earlier one failed; its message carries the earlier batch's reason. */
    static final class HeldBack extends IllegalStateException {
        HeldBack(String message) {
            super(message);
        }
    }
}
