package io.tributary.central;

import io.tributary.sql.Dialect;

class LogApplyH2Test extends LogApplyContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
