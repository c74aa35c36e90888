package io.tributary.central;

import io.tributary.sql.Dialect;

class ArangoJavaDriverH2Test extends ArangoJavaDriverContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
