package io.tributary.offline;

import io.tributary.sql.Dialect;

class RestoreMariaDbTest extends RestoreContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
