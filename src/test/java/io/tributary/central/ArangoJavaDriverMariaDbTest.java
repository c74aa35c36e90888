package io.tributary.central;

import io.tributary.sql.Dialect;

/** {@link ArangoJavaDriverTest} with the central store on MariaDb. */
class ArangoJavaDriverMariaDbTest extends ArangoJavaDriverTest {

    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
