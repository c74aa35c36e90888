package io.tributary.follower;

import io.tributary.sql.Dialect;

class FollowerPostgresTest extends FollowerContract {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
