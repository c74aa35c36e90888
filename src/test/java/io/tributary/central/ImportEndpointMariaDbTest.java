package io.tributary.central;

import io.tributary.sql.Dialect;

class ImportEndpointMariaDbTest extends AbstractImportEndpointTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
