package io.tributary.central;

import java.time.Instant;

/**
 * What a follower node keeps per followed database ({@code tributary_follower}): the primary it follows
 * (its server id and URL) and the primary's last tick applied here; {@code appliedTick} is null while the
 * initial collection sync has not completed, which a restart then runs again.
 */
public record FollowerPosition(String database, String primaryServerId, String primaryUrl, Long appliedTick,
                               Instant updatedAt) {

    public boolean synced() {
        return appliedTick != null;
    }
}
