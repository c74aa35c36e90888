package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralMariaDbTest extends ManySourcesIntoCentralContract {
    ManySourcesIntoCentralMariaDbTest() {
        super(Dialect.MARIADB);
    }
}
