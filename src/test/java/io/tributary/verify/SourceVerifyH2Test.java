package io.tributary.verify;

import io.tributary.sql.Dialect;

class SourceVerifyH2Test extends SourceVerifyContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }
}
