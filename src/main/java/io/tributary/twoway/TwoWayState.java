package io.tributary.twoway;

import io.tributary.sql.Jdbc;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;

/**
 * The table {@code tributary_two_way} in the central database: per sync pair, the fingerprint of its
 * parameters (stores, tables, mapping, columns) and the end of the last completed run in microseconds
 * ({@link TwoWayVersion}). A pair whose parameters changed finds no state and starts at the epoch: the
 * seed's single "last" file, reused for other parameters, is what this replaces.
 */
final class TwoWayState {

    static final String TABLE = "tributary_two_way";

    private final Jdbc jdbc;

    TwoWayState(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
        jdbc.create("CREATE TABLE IF NOT EXISTS " + TABLE + " (pair_name VARCHAR(200) NOT NULL PRIMARY KEY,"
                + " fingerprint VARCHAR(64) NOT NULL, end_micros BIGINT NOT NULL, updated_at "
                + jdbc.dialect().timestampType() + " NOT NULL)" + jdbc.dialect().tableOptions());
    }

    /** The stored end of the pair's last run, if it was stored with these parameters. */
    Optional<Long> end(String pair, String fingerprint) {
        try {
            return jdbc.template().query("SELECT end_micros FROM " + TABLE + " WHERE pair_name = ? AND fingerprint = ?",
                    (rs, n) -> rs.getLong(1), pair, fingerprint).stream().findFirst();
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot read " + TABLE + ": " + Jdbc.reason(e), e);
        }
    }

    /** Stores the end of a completed run; replaces a state stored with other parameters. */
    void store(String pair, String fingerprint, long endMicros) {
        try {
            jdbc.transaction("store two-way state", s -> {
                int n = jdbc.template().update("UPDATE " + TABLE + " SET fingerprint = ?, end_micros = ?, updated_at = "
                        + jdbc.dialect().localTimestamp() + " WHERE pair_name = ?", fingerprint, endMicros, pair);
                if (n == 0) {
                    jdbc.template().update("INSERT INTO " + TABLE + " (pair_name, fingerprint, end_micros, updated_at) VALUES (?, ?, ?, "
                            + jdbc.dialect().localTimestamp() + ")", pair, fingerprint, endMicros);
                }
                return null;
            });
        } catch (DataAccessException e) {
            throw new IllegalStateException("Cannot store " + TABLE + ": " + Jdbc.reason(e), e);
        }
    }
}
