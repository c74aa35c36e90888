package io.tributary.source;

import io.tributary.source.ChangeFeed.Change;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Rows past the (timestamp, key) watermark, up to a bound that late commits can no longer cross:
 * the database clock minus {@code safetyLagMs}, and, where the database shows its running
 * transactions reliably (PostgreSQL), a second before the start of the oldest one still running, since
 * a timestamp the database sets inside a transaction is never earlier than the transaction's start.
 * The bound is turned into the column's local time in the zone the column is written in, never the
 * JVM's.
 */
final class TimestampCapture implements Capture {

    private final ChangeFeed feed;
    private final KeyOrder order;
    private final SourceClock clock;
    private final long safetyLagMs;

    TimestampCapture(ChangeFeed feed, KeyOrder order, SourceClock clock, long safetyLagMs) {
        this.feed = feed;
        this.order = order;
        this.clock = clock;
        this.safetyLagMs = safetyLagMs;
    }

    @Override
    public Page read(Watermark stored, Watermark pageEnd, int maxChanges) {
        List<Change> changes = feed.read(order, stored, maxChanges, newestReadable());
        return new Page(changes, changes.size() >= maxChanges);
    }

    /** The newest timestamp that is safe to read now, in the column's local time. */
    LocalDateTime newestReadable() {
        return feed.withConnection(c -> {
            SourceClock.Reading reading = clock.read(c);
            Instant bound = reading.now().minusMillis(safetyLagMs);
            Instant oldest = reading.oldestTransaction();
            // a second before it: a column with fewer fractional digits rounds a transaction's timestamp, up to half
            // a second down on PostgreSQL, so a running transaction's rows may carry a time just before its start
            if (reading.transactionsKnown() && oldest != null && oldest.minusSeconds(1).isBefore(bound)) {
                bound = oldest.minusSeconds(1);
            }
            return clock.toColumnTime(bound, reading);
        });
    }
}
