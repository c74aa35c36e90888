package io.tributary.fault;

import io.tributary.sql.Dialect;

class ConcurrentWritersMariaDbTest extends ConcurrentWritersContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
