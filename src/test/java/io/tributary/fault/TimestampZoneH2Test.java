package io.tributary.fault;

import io.tributary.sql.Dialect;

class TimestampZoneH2Test extends TimestampZoneContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
