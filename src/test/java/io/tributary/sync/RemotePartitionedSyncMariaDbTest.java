package io.tributary.sync;

import io.tributary.sql.Dialect;

class RemotePartitionedSyncMariaDbTest extends RemotePartitionedSyncContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
