package io.tributary.central;

import io.tributary.sql.Dialect;

class ImportEndpointMariaDbTest extends ImportEndpointContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
