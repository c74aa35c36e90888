package io.tributary.twoway;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/** One side of a two-way pair for one table: reads what changed in a time range, writes rows where newer. */
interface TwoWayStore {

    /** How the store is named in reports and logs, e.g. {@code pgDb:orders} or {@code collection _system/orders}. */
    String name();

    /**
     * The newest timestamp a late commit can no longer cross, in the timestamps' local time: the database
     * clock minus {@code safetyLagMs}, and, where the database shows its running transactions (PostgreSQL),
     * a second before the start of the oldest one. Empty for a store without a clock (a collection).
     */
    Optional<LocalDateTime> settled(long safetyLagMs);

    /**
     * Up to {@code limit} rows changed in ({@code after}, {@code upTo}], in (time, key) order, after the row
     * {@code cursor} when not null.
     */
    List<TwoWayRow> changed(LocalDateTime after, LocalDateTime upTo, TwoWayRow cursor, int limit);

    /** Writes each row where it is newer than the stored one (one conditional statement); what happened. */
    Applied apply(List<TwoWayRow> rows);

    /** What a write did: rows written, rows skipped as not newer, ties (same time, other content) decided, tombstones written. */
    record Applied(long applied, long skipped, long ties, long tombstones) {
    }
}
