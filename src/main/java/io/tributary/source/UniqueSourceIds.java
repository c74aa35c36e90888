package io.tributary.source;

import java.util.Map;
import java.util.Optional;

/**
 * Two sources of one node must not share a {@code sourceId}: they would share a status row, a
 * position and (by default) a key prefix, and each would acknowledge the other's rows. The message
 * names both routes and their files.
 */
final class UniqueSourceIds {

    private UniqueSourceIds() {
    }

    /** Why {@code candidate} may not run next to {@code others} (by route id, with their resolved sourceIds). */
    static Optional<String> conflict(SourceEntry candidate, String sourceId, Map<SourceEntry, String> others) {
        return others.entrySet().stream()
                .filter(other -> sourceId != null && sourceId.equals(other.getValue()) && !other.getKey().routeId().equals(candidate.routeId()))
                .findFirst().map(other -> "Two sources use sourceId '" + sourceId + "': " + describe(other.getKey()) + " and "
                        + describe(candidate) + ". Each source needs its own sourceId (it names its status row, its"
                        + " position and its registration with the central node)");
    }

    private static String describe(SourceEntry entry) {
        return "route '" + entry.routeId() + "' in " + entry.file();
    }
}
