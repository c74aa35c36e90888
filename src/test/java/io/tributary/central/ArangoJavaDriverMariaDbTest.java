package io.tributary.central;

import io.tributary.sql.Dialect;

class ArangoJavaDriverMariaDbTest extends ArangoJavaDriverContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
