package io.tributary.central;

import io.tributary.sql.Dialect;

/** {@link ArangoJavaDriverContract} with the central store on Postgres. */
class ArangoJavaDriverPostgresTest extends ArangoJavaDriverContract {

    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
