package io.tributary.sync;

import io.tributary.sql.Dialect;

class PartitionedSyncMariaDbTest extends PartitionedSyncContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
