package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralOnMariadbTest extends ManySourcesOneCentralTest {
    ManySourcesIntoCentralOnMariadbTest() {
        super(Dialect.MARIADB);
    }
}
