package io.tributary.twoway;

import io.tributary.sql.Dialect;

class NewerWinsUpsertH2Test extends NewerWinsUpsertContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
