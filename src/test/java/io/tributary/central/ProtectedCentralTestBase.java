package io.tributary.central;

import io.tributary.sql.Dialect;
import io.tributary.testing.TributaryApp;

/** A real Tributary (H2 unless a subclass chooses) with a password set, as a client on the network meets it (user {@code root}). */
abstract class ProtectedCentralTestBase extends ImportEndpointTestBase {

    static final String PASSWORD = "central-Pa55word";

    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    @Override
    void configure(TributaryApp.Builder builder) {
        builder.property("tributary.central.password", PASSWORD);
    }

    CentralClient authorized() {
        return new CentralClient(port).credentials("root", PASSWORD);
    }
}
