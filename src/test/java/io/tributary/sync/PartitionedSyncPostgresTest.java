package io.tributary.sync;

import io.tributary.sql.Dialect;

class PartitionedSyncPostgresTest extends PartitionedSyncContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
