package io.tributary.log;

import java.time.Instant;

/**
 * Where a database's change log stands: its last tick, and the oldest tick still retained
 * ({@code lastTick + 1} when nothing is retained), read at {@code time}.
 */
public record LogState(String serverId, String database, long lastTick, long oldestTick, Instant time) {
}
