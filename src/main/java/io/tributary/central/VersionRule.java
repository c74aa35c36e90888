package io.tributary.central;

import java.math.BigInteger;
import java.util.function.BooleanSupplier;

/**
 * The one rule of versioned writes ({@code versionAttribute}), for every write path and database: a
 * higher version writes, a lower one is ignored, and an equal one is "already applied" only if the
 * content is the same. An equal version with different content is a conflict, never an acknowledgement:
 * a source deletes what the central node acknowledged, so ignoring it would lose that row.
 */
final class VersionRule {

    enum Outcome { WRITE, IGNORE, CONFLICT }

    private VersionRule() {
    }

    /** Either side without a version writes, as in ArangoDB. {@code sameContent} is asked only on a tie. */
    static Outcome decide(BigInteger stored, BigInteger incoming, BooleanSupplier sameContent) {
        if (stored == null || incoming == null) {
            return Outcome.WRITE;
        }
        int order = incoming.compareTo(stored);
        if (order != 0) {
            return order > 0 ? Outcome.WRITE : Outcome.IGNORE;
        }
        return sameContent.getAsBoolean() ? Outcome.IGNORE : Outcome.CONFLICT;
    }

    /**
     * The SQL condition of exactly the cases {@link #decide} writes without looking at content, for a
     * set-based upsert; the rows it skips are handed back to {@link #decide}, so ties are judged here only.
     */
    static String writesUnseen(String incoming, String stored) {
        return incoming + " IS NULL OR " + stored + " IS NULL OR " + incoming + " > " + stored;
    }
}
