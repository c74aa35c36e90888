package io.tributary.verify;

import io.tributary.sql.Dialect;

class SourceVerifyH2Test extends SourceVerifyContract {
    SourceVerifyH2Test() {
        super(Dialect.H2);
    }
}
