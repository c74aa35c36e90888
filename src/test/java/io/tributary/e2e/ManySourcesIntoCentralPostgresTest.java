package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralPostgresTest extends ManySourcesIntoCentralContract {
    ManySourcesIntoCentralPostgresTest() {
        super(Dialect.POSTGRESQL);
    }
}
