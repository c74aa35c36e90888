package io.tributary.source;

import io.tributary.source.ChangeFeed.Change;
import java.util.List;

/**
 * How one capture mode finds the next page of changes. Each mode guarantees that a committed row
 * is never skipped for good: see docs/sources.md, "What we guarantee per capture mode".
 */
interface Capture {

    /** A page to send, and whether the run should read another one. */
    record Page(List<Change> changes, boolean full) {
    }

    /**
     * @param stored    the stored watermark (null before the first acknowledged batch)
     * @param pageEnd   the last change of the previous page of this run, null on a run's first page
     * @param maxChanges rows per page
     */
    Page read(Watermark stored, Watermark pageEnd, int maxChanges);

    /** What the mode adds to the source's health details (open and given-up gaps). */
    default void describe(SourceHealth health) {
    }
}
