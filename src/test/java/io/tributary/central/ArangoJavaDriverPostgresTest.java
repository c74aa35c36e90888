package io.tributary.central;

import io.tributary.sql.Dialect;

class ArangoJavaDriverPostgresTest extends ArangoJavaDriverContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
