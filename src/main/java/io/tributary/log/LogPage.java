package io.tributary.log;

import java.util.List;

/**
 * Entries after a tick, in tick order: {@code lastIncluded} is the last one's tick (the asked-for tick when
 * there is none), {@code lastTick} the log's last tick when read, {@code checkMore} whether more entries are
 * ready after {@code lastIncluded}.
 */
public record LogPage(List<LogEntry> entries, long lastIncluded, long lastTick, boolean checkMore) {
}
