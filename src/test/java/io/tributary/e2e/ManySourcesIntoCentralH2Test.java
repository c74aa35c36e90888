package io.tributary.e2e;

import io.tributary.sql.Dialect;

class ManySourcesIntoCentralH2Test extends ManySourcesIntoCentralContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
