package io.tributary.twoway;

import io.tributary.sql.Dialect;

class NewerWinsUpsertMariaDbTest extends NewerWinsUpsertContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
