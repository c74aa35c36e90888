package io.tributary.fault;

import io.tributary.sql.Dialect;

class TimestampZoneMariaDbTest extends TimestampZoneContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
