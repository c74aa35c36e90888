package io.tributary.source;

import io.tributary.source.ChangeFeed.Change;
import io.tributary.source.KeyGaps.Gap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only table with an increasing numeric key: rows past the key watermark, plus rows that
 * appeared late in holes of the key sequence ({@link KeyGaps}). A run's first page starts with the
 * rows found in open gaps; every hole a page steps over is noted on the row after it and recorded
 * when that row's batch is acknowledged.
 */
final class IncrementingCapture implements Capture {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementingCapture.class);
    private static final int LOGGED_GAPS = 20;

    private final String sourceId;
    private final ChangeFeed feed;
    private final SourceClock clock;
    private final KeyGaps gaps;
    private final Duration gapTimeout;
    private volatile int openGaps;
    private volatile long givenUpGaps;
    private Instant lastGivenUpRead;

    IncrementingCapture(String sourceId, ChangeFeed feed, SourceClock clock, KeyGaps gaps, Duration gapTimeout) {
        this.sourceId = sourceId;
        this.feed = feed;
        this.clock = clock;
        this.gaps = gaps;
        this.gapTimeout = gapTimeout;
        this.givenUpGaps = gaps.givenUp();
    }

    @Override
    public Page read(Watermark stored, Watermark pageEnd, int maxChanges) {
        List<Change> late = pageEnd == null ? lateRows(maxChanges) : List.of();
        List<Change> next = feed.read(KeyOrder.NUMERIC, stored, maxChanges, null);
        // the time the holes were seen is taken after the read: every transaction that may hold a key in
        // them was running by then, so "all transactions running then have ended" makes them final
        Instant seenAt = next.isEmpty() ? null : feed.withConnection(clock::now);
        List<Change> page = new ArrayList<>(late.size() + next.size());
        page.addAll(late);
        // before the first acknowledged row, everything from key 0 up is a gap: the lowest keys may be the ones still uncommitted
        long previous = stored == null ? -1 : Long.parseLong(stored.key());
        for (Change change : next) {
            long key = Long.parseLong(change.key());
            page.add(key > previous + 1 ? change.withGapBefore(new Gap(previous + 1, key - 1, seenAt)) : change);
            previous = key;
        }
        return new Page(page, next.size() >= maxChanges);
    }

    /**
     * Rows that appeared in gaps since the last run. Gaps are given up first (old enough, and no
     * transaction that was running when they were seen still runs), then every open gap, including
     * those, is read: a row committed before that decision is visible to the read, so it is sent and
     * its gap kept until the row is acknowledged. Given-up gaps are read again once per
     * {@code gapTimeoutMs} for {@link KeyGaps#GIVEN_UP_RETENTION}: a key handed out before its
     * transaction started (a sequence cache, pooled ids) may still fill one.
     */
    private List<Change> lateRows(int maxChanges) {
        List<Gap> open = gaps.open();
        SourceClock.Reading reading = feed.withConnection(clock::read);
        boolean rereadGivenUp = lastGivenUpRead == null || !lastGivenUpRead.plus(gapTimeout).isAfter(reading.now());
        if (rereadGivenUp) {
            lastGivenUpRead = reading.now();
            gaps.purgeGivenUpBefore(reading.now().minus(KeyGaps.GIVEN_UP_RETENTION));
        }
        List<Gap> givenUpBefore = rereadGivenUp ? gaps.givenUpSince(reading.now().minus(KeyGaps.GIVEN_UP_RETENTION)) : List.of();
        if (open.isEmpty() && givenUpBefore.isEmpty()) {
            openGaps = 0;
            return List.of();
        }
        List<Gap> expired = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            Gap gap = open.get(i);
            boolean old = !gap.seenAt().plus(gapTimeout).isAfter(reading.now());
            boolean settled = !reading.transactionsKnown() || reading.settledSince(gap.seenAt());
            if ((old && settled) || i < open.size() - KeyGaps.MAX_OPEN) {
                expired.add(gap);
            }
        }
        List<Change> found = feed.readGaps(Stream.concat(open.stream(), givenUpBefore.stream())
                .sorted(Comparator.comparingLong(Gap::first)).toList(), maxChanges);
        // a full read may have stopped before some gaps: only those wholly before its last row were read
        long readUpTo = found.size() >= maxChanges ? Long.parseLong(found.get(found.size() - 1).key()) : Long.MAX_VALUE;
        List<Gap> givenUp = expired.stream().filter(gap -> gap.last() < readUpTo
                && found.stream().noneMatch(change -> gap.contains(Long.parseLong(change.key())))).toList();
        if (!givenUp.isEmpty()) {
            gaps.giveUp(givenUp, reading.now());
            givenUpGaps += givenUp.size();
            long keys = givenUp.stream().mapToLong(Gap::size).sum();
            LOG.warn("source={} gave up waiting for {} keys in {} gaps (no row appeared within gapTimeoutMs={} and no"
                            + " transaction of that time still runs): {}{}", sourceId, keys, givenUp.size(), gapTimeout.toMillis(),
                    givenUp.subList(0, Math.min(LOGGED_GAPS, givenUp.size())), givenUp.size() > LOGGED_GAPS ? " ..." : "");
        }
        long inGivenUp = found.stream().filter(change -> givenUpBefore.stream()
                .anyMatch(gap -> gap.contains(Long.parseLong(change.key())))).count();
        if (inGivenUp > 0) {
            LOG.warn("source={} found {} rows in key gaps given up earlier: their keys were taken long before their"
                    + " transactions committed (a sequence cache or pooled ids?); they are sent now", sourceId, inGivenUp);
        } else if (!found.isEmpty()) {
            LOG.info("source={} found {} rows committed late in key gaps", sourceId, found.size());
        }
        openGaps = open.size() - givenUp.size();
        return found;
    }

    @Override
    public void describe(SourceHealth health) {
        health.gaps(openGaps, givenUpGaps);
    }
}
