package io.tributary.source;

import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The split's aggregation strategy: Camel hands over a page's imported batches in their order (a batch
 * only after every earlier one), and never one after a failed batch. Each is checkpointed here: its
 * change rows deleted and its watermark stored. So checkpoints advance in order while batches are sent
 * in parallel, and the position a batch announces to the central node never runs ahead of one that may
 * still fail.
 */
public final class OrderedCheckpoint implements AggregationStrategy {

    static final String SOURCE_HEADER = "X-Tributary-Source";
    static final String POSITION_HEADER = "X-Tributary-Position";
    private static final Logger LOG = LoggerFactory.getLogger(OrderedCheckpoint.class);

    private final ChangeSource source;
    /** Which batch of the page is acknowledged next, and the position everything before it reached. */
    private int nextToAcknowledge;
    private String acknowledged;

    public OrderedCheckpoint(ChangeSource source) {
        this.source = source;
    }

    /** Route step before a page's split (its batches are numbered from 0): nothing of it is acknowledged yet. */
    public synchronized void reset(Exchange exchange) {
        nextToAcknowledge = 0;
        acknowledged = exchange.getProperty(ChangeSource.ACKNOWLEDGED, String.class);
    }

    /**
     * Route step, per batch: the source position the central node stores with the documents. A batch
     * sent while an earlier one of its page is unacknowledged carries the position acknowledged so far.
     */
    public void positionHeaders(Exchange exchange) {
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
        String position;
        synchronized (this) {
            position = nextToAcknowledge == index ? exchange.getProperty(ChangeSource.POSITION, String.class) : acknowledged;
        }
        if (position != null) {
            exchange.getMessage().setHeader(SOURCE_HEADER, source.settings().sourceId());
            exchange.getMessage().setHeader(POSITION_HEADER, position);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange previous, Exchange batch) {
        Watermark watermark = batch.getProperty(ChangeSource.WATERMARK, Watermark.class);
        String position = batch.getProperty(ChangeSource.POSITION, String.class);
        int rows = batch.getProperty(ChangeSource.ROWS, Integer.class);
        List<KeyGaps.Gap> seen = batch.getProperty(ChangeSource.GAPS_SEEN, List.class);
        List<Long> found = batch.getProperty(ChangeSource.GAP_KEYS_FOUND, List.class);
        source.checkpoint().commit(batch.getProperty(ChangeSource.KEYS, List.class), watermark, position, rows, seen, found);
        synchronized (this) {
            nextToAcknowledge = batch.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class) + 1;
            acknowledged = position;
        }
        source.runs().batchSent(rows, watermark, position);
        LOG.debug("source={} batch={} rows, watermark={}{}", source.settings().sourceId(), rows, watermark,
                seen.isEmpty() && found.isEmpty() ? "" : ", key gaps seen " + seen + ", late keys " + found);
        return batch;
    }
}
