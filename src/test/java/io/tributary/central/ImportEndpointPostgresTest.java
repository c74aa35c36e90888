package io.tributary.central;

import io.tributary.sql.Dialect;

class ImportEndpointPostgresTest extends AbstractImportEndpointTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
