package io.tributary.follower;

import io.tributary.sql.Dialect;

class FollowerH2Test extends FollowerContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
