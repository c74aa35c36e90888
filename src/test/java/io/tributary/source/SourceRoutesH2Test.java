package io.tributary.source;

import io.tributary.sql.Dialect;

class SourceRoutesH2Test extends SourceRoutesContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
