package io.tributary.log;

import io.tributary.sql.Dialect;

class ChangeLogMariaDbTest extends ChangeLogContract {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }
}
