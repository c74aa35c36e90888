package io.tributary.source;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a source is behind, and how that was measured (docs/operations.md#backlog-and-lag): the age of the
 * oldest waiting change where the backlog count knows it ({@code oldestChange}), otherwise the time since
 * the source was last seen with nothing waiting ({@code lastEmptyRun}): the last read of a successful run
 * that found no more changes, or the last backlog count of 0, whichever is later ({@link SourceRuns#caughtUp}),
 * also when counts after it found rows.
 *
 * @param seconds    NaN when neither is known yet (no successful run, no count)
 * @param measuredBy {@code oldestChange}, {@code lastEmptyRun}, or null with NaN
 */
record SourceLag(double seconds, String measuredBy) {

    static final String OLDEST_CHANGE = "oldestChange";
    static final String LAST_EMPTY_RUN = "lastEmptyRun";

    static SourceLag of(SourceRuns.Snapshot runs, SourceBacklog.Reading backlog, Instant now) {
        Instant caughtUp = runs.caughtUpAt();
        if (backlog != null && backlog.oldestChange() != null && (caughtUp == null || caughtUp.isBefore(backlog.at()))) {
            return new SourceLag(secondsSince(backlog.oldestChange(), now), OLDEST_CHANGE);
        }
        return caughtUp == null ? new SourceLag(Double.NaN, null) : new SourceLag(secondsSince(caughtUp, now), LAST_EMPTY_RUN);
    }

    static SourceLag of(ChangeSource source, Instant now) {
        return of(source.runs().snapshot(), source.backlog().reading().orElse(null), now);
    }

    private static double secondsSince(Instant at, Instant now) {
        return Math.max(0, Duration.between(at, now).toMillis() / 1000.0);
    }
}
