package io.tributary.follower;

import io.tributary.sql.Dialect;

class FollowerMariaDbTest extends FollowerContract {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
