package io.tributary.source;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Holds back the later batches of a run once one batch failed an attempt, so that while a batch is
 * retried no batch after it reaches the central node. Only batches already in flight at that moment
 * (at most {@code parallelBatches - 1}) can still arrive there; they are sent again by the next run.
 *
 * <p>A template-local bean of the source route: {@link #reset} starts a run, the route's error
 * handler calls {@link #process} on every failed attempt ({@code onExceptionOccurredRef}), and
 * {@link #check} runs before each batch's POST.
 */
public final class BatchGate implements Processor {

    private int firstFailed = Integer.MAX_VALUE;
    private String reason;

    public synchronized void reset() {
        firstFailed = Integer.MAX_VALUE;
        reason = null;
    }

    /** A batch's attempt failed (called by the error handler before it decides on a retry). */
    @Override
    public synchronized void process(Exchange exchange) {
        Integer index = exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class);
        Throwable failure = exchange.getException();
        if (index != null && index < firstFailed && !(failure instanceof HeldBack)) {
            firstFailed = index;
            reason = failure == null ? "unknown" : ChangeSource.reason(failure);
        }
    }

    /** Before a batch is sent: fails it, without retries, when an earlier batch of the run has failed. */
    public void check(Exchange exchange) {
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
        String held;
        synchronized (this) {
            held = firstFailed < index ? "batch " + (index + 1) + " held back because batch " + (firstFailed + 1)
                    + " of this run failed: " + reason : null;
        }
        if (held != null) {
            exchange.getExchangeExtension().setRedeliveryExhausted(true);
            throw new HeldBack(held);
        }
    }

    /** A batch not sent because an earlier one failed; its message carries the earlier batch's reason. */
    static final class HeldBack extends IllegalStateException {
        HeldBack(String message) {
            super(message);
        }
    }
}
