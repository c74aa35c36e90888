package io.tributary.source;

import io.tributary.sql.Jdbc;
import io.tributary.sql.SqlIdentifier;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Whether one source is paused ({@code POST /api/sources/{sourceId}/pause}), stored in table
 * {@code <statusTable>_paused} of the status database next to its watermark, so a restarted node keeps the
 * source paused until it is resumed. The stored state is read once per process, at the source's first run (or a resume before it),
 * and then kept in memory: the status API reads only that.
 */
final class SourcePause {

    private final Jdbc jdbc;
    private final String table;
    private final String sourceId;
    private volatile boolean created;
    /** Null until the stored state was read, or a pause or resume through this process set it. */
    private final AtomicReference<Optional<Instant>> pausedAt = new AtomicReference<>();

    SourcePause(DataSource dataSource, String statusTable, String sourceId) {
        this.jdbc = new Jdbc(dataSource);
        this.table = SqlIdentifier.requireQualified("pause table", statusTable + "_paused");
        this.sourceId = sourceId;
    }

    /** Since when the source is paused, as stored; reads the table the first time (throws when it cannot). */
    Optional<Instant> stored() {
        if (pausedAt.get() == null) {
            Optional<Instant> read = inTable("read whether source '" + sourceId + "' is paused from", this::read);
            // a pause or resume that ended while this read ran knows better than what it read
            pausedAt.compareAndSet(null, read);
        }
        return pausedAt.get();
    }

    /** What this process knows without a query: empty also before the stored state was read. */
    Optional<Instant> known() {
        Optional<Instant> at = pausedAt.get();
        return at == null ? Optional.empty() : at;
    }

    /** Stores the pause (keeping the first time when paused already); throws when the status database cannot. */
    void pause() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // as stored
        pausedAt.set(Optional.of(inTable("store the pause of source '" + sourceId + "' in", () -> jdbc.transaction(
                "pause source " + sourceId, tx -> {
                    Optional<Instant> stored = read();
                    if (stored.isEmpty()) {
                        jdbc.template().update("INSERT INTO " + table + " (source_id, paused_at_ms) VALUES (?, ?)", sourceId,
                                now.toEpochMilli());
                    }
                    return stored.orElse(now);
                }))));
    }

    /** Removes the stored pause; throws when the status database cannot. */
    void resume() {
        inTable("remove the pause of source '" + sourceId + "' from",
                () -> jdbc.template().update("DELETE FROM " + table + " WHERE source_id = ?", sourceId));
        pausedAt.set(Optional.empty());
    }

    private Optional<Instant> read() {
        return jdbc.template().query("SELECT paused_at_ms FROM " + table + " WHERE source_id = ?",
                (rs, n) -> Instant.ofEpochMilli(rs.getLong(1)), sourceId).stream().findFirst();
    }

    /** {@code work} on the table, created when missing; a failure says what could not be done and why. */
    private <T> T inTable(String what, Supplier<T> work) {
        try {
            if (!created) {
                jdbc.create("CREATE TABLE IF NOT EXISTS " + table + " (source_id VARCHAR(200) NOT NULL PRIMARY KEY,"
                        + " paused_at_ms BIGINT NOT NULL)" + jdbc.dialect().tableOptions());
                created = true;
            }
            return work.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot " + what + " " + table + ": " + ChangeSource.reason(e), e);
        }
    }
}
