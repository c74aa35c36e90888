package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralPostgresTest extends ManySourcesIntoCentralContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
