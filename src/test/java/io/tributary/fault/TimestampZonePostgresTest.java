package io.tributary.fault;

import io.tributary.sql.Dialect;

class TimestampZonePostgresTest extends TimestampZoneContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
