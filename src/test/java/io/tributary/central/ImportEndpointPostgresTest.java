package io.tributary.central;

import io.tributary.sql.Dialect;

class ImportEndpointPostgresTest extends ImportEndpointContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
