package io.tributary.central;

import io.tributary.sql.Dialect;

class ImportEndpointH2Test extends AbstractImportEndpointTest {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
