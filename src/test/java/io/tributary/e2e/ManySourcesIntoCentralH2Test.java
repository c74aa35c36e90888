package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralH2Test extends ManySourcesIntoCentralContract {
    ManySourcesIntoCentralH2Test() {
        super(Dialect.H2);
    }
}
