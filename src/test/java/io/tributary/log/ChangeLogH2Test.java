package io.tributary.log;

import io.tributary.sql.Dialect;

class ChangeLogH2Test extends ChangeLogContract {
    @Override
    protected Dialect dialect() {
        return Dialect.H2;
    }
}
