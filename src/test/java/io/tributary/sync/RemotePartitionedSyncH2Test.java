package io.tributary.sync;

import io.tributary.sql.Dialect;

class RemotePartitionedSyncH2Test extends RemotePartitionedSyncContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
