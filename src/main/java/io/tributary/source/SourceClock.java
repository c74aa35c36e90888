package io.tributary.source;

import io.tributary.sql.Dialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source database's clock and its oldest running transaction, read in one round trip. Together
 * they say up to which instant no late commit can still appear: a key or a database timestamp is
 * taken inside a transaction, no earlier than the transaction's start.
 *
 * <p>Times are exchanged as instants (seconds since 1970 from the database), never as local times of
 * the JVM; a local timestamp column is compared in its own zone ({@link #toColumnTime}).
 */
final class SourceClock {

    private static final Logger LOG = LoggerFactory.getLogger(SourceClock.class);

    /**
     * One reading.
     *
     * @param now                the database's clock
     * @param localNow           the session's local time at {@code now} (to find the session's zone offset)
     * @param oldestTransaction  start of the oldest other transaction still running, null if none runs
     * @param transactionsKnown  false when the database cannot show (or this user may not see) other
     *                           sessions' transactions: then only the time-based rules apply
     */
    record Reading(Instant now, LocalDateTime localNow, Instant oldestTransaction, boolean transactionsKnown) {

        /** Whether every transaction that was running at {@code at} has ended by this reading (false when unknown). */
        boolean settledSince(Instant at) {
            return transactionsKnown && (oldestTransaction == null || oldestTransaction.isAfter(at));
        }
    }

    private final String sourceId;
    private final Dialect dialect;
    private final String nowSql;
    private final String transactionsSql;
    private final ZoneId columnZone;
    private volatile boolean blindWarned;

    /**
     * @param timestampZone the zone local timestamps are written in; empty = the database server's zone
     */
    SourceClock(String sourceId, Dialect dialect, String timestampZone) {
        this.sourceId = sourceId;
        this.dialect = dialect;
        this.nowSql = "SELECT " + dialect.epochSecondsNow() + ", " + dialect.serverLocalTimestamp();
        this.transactionsSql = dialect.oldestTransactionQuery();
        this.columnZone = timestampZone.isEmpty() ? null : ZoneId.of(timestampZone);
    }

    /** The database's clock alone, without asking for its transactions. */
    Instant now(Connection c) throws SQLException {
        return clock(c).now();
    }

    Reading read(Connection c) throws SQLException {
        Reading clock = clock(c);
        if (transactionsSql == null) {
            return clock;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(transactionsSql)) {
            rs.next();
            BigDecimal oldest = rs.getBigDecimal(1);
            if (rs.getLong(2) > 0) {
                warnBlind("some running transactions are not visible: sessions of other roles without pg_read_all_stats,"
                        + " track_activities off, prepared transactions, or a replica whose writers run on the primary");
                return clock;
            }
            return new Reading(clock.now(), clock.localNow(), oldest == null ? null : instant(oldest), true);
        } catch (SQLException e) {
            warnBlind(e.getMessage());
            return clock;
        }
    }

    /** The clock alone: a reading that knows no transactions. */
    private Reading clock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(nowSql)) {
            rs.next();
            return reading(rs.getBigDecimal(1), rs.getObject(2, LocalDateTime.class));
        }
    }

    /** An instant as the local time a timestamp column written in the configured (or the database's) zone shows. */
    LocalDateTime toColumnTime(Instant instant, Reading reading) {
        if (columnZone != null) {
            return LocalDateTime.ofInstant(instant, columnZone);
        }
        return LocalDateTime.ofInstant(instant, serverOffset(reading));
    }

    /** The server's local clock at "now" gives its offset from UTC, to the minute. */
    private static ZoneOffset serverOffset(Reading reading) {
        long offsetSeconds = Duration.between(LocalDateTime.ofInstant(reading.now(), ZoneOffset.UTC), reading.localNow()).getSeconds();
        long minutes = Math.round(offsetSeconds / 60.0);
        return ZoneOffset.ofTotalSeconds((int) (minutes * 60));
    }

    /** A reading of the clock alone, from {@link Dialect#epochSecondsNow} and {@link Dialect#serverLocalTimestamp}. */
    static Reading reading(BigDecimal epochSeconds, LocalDateTime localNow) {
        return new Reading(instant(epochSeconds), localNow, null, false);
    }

    /** A local time of the timestamp column as an instant: the inverse of {@link #toColumnTime}. */
    Instant fromColumnTime(LocalDateTime columnTime, Reading reading) {
        return columnZone != null ? columnTime.atZone(columnZone).toInstant() : columnTime.toInstant(serverOffset(reading));
    }

    /** The configured zone, or a description of the default, for the start-up log. */
    String zoneDescription() {
        return columnZone != null ? columnZone.getId() : "the " + dialect.name().toLowerCase() + " server's zone";
    }

    private void warnBlind(String why) {
        if (!blindWarned) {
            blindWarned = true;
            LOG.warn("source={} cannot see the database's running transactions ({}): late commits are only waited for by time"
                    + " (safetyLagMs, gapTimeoutMs)", sourceId, why);
        }
    }

    private static Instant instant(BigDecimal epochSeconds) {
        return Instant.EPOCH.plus(epochSeconds.movePointRight(6).longValue(), ChronoUnit.MICROS);
    }
}
