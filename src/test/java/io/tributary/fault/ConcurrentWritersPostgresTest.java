package io.tributary.fault;

import io.tributary.sql.Dialect;

class ConcurrentWritersPostgresTest extends ConcurrentWritersContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
