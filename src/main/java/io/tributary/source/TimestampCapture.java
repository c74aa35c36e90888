package io.tributary.source;

import io.tributary.source.ChangeFeed.Change;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Rows past the (timestamp, key) watermark, up to a bound that late commits can no longer cross:
 * the database clock minus {@code safetyLagMs}, and, where the database shows its running
 * transactions (PostgreSQL, MariaDB), just before the start of the oldest one still running, since
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
            if (reading.transactionsKnown() && oldest != null && !oldest.isAfter(bound)) {
                bound = oldest.minus(1, ChronoUnit.MICROS);
            }
            return clock.toColumnTime(bound, reading);
        });
    }
}
