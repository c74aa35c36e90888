package io.tributary.central;

import io.tributary.sql.Dialect;

/** {@link ArangoJavaDriverContract} with the central store on MariaDb. */
class ArangoJavaDriverMariaDbTest extends ArangoJavaDriverContract {

    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
