package io.tributary.offline;

import io.tributary.sql.Dialect;

class RestorePostgresTest extends RestoreContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
