package io.tributary.central;

import io.tributary.sql.Dialect;

class LogApplyMariaDbTest extends LogApplyContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
