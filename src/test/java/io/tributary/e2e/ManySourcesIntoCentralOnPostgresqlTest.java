package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralOnPostgresqlTest extends ManySourcesOneCentralTest {
    ManySourcesIntoCentralOnPostgresqlTest() {
        super(Dialect.POSTGRESQL);
    }
}
