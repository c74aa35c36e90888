package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralMariaDbTest extends ManySourcesIntoCentralContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
