package io.tributary.fault;

import io.tributary.sql.Dialect;

class ConcurrentWritersH2Test extends ConcurrentWritersContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
