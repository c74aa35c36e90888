package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralOnH2Test extends ManySourcesOneCentralTest {
    ManySourcesIntoCentralOnH2Test() {
        super(Dialect.H2);
    }
}
