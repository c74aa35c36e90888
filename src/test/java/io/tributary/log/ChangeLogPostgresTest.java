package io.tributary.log;

import io.tributary.sql.Dialect;

class ChangeLogPostgresTest extends ChangeLogContract {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
