package io.tributary.sync;

import io.tributary.sql.Dialect;

class RemotePartitionedSyncPostgresTest extends RemotePartitionedSyncContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
