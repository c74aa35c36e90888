package io.tributary.central;

import io.tributary.sql.Dialect;

/** {@link ArangoJavaDriverTest} with the central store on Postgres. */
class ArangoJavaDriverPostgresTest extends ArangoJavaDriverTest {

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
