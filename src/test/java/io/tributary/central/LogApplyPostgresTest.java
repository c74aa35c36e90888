package io.tributary.central;

import io.tributary.sql.Dialect;

class LogApplyPostgresTest extends LogApplyContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
