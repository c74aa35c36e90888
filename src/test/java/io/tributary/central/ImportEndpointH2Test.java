package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.sql.Dialect;
import org.junit.jupiter.api.Test;

class ImportEndpointH2Test extends ImportEndpointContract {
    @Override
    Dialect dialect() {
        return Dialect.H2;
    }

    /** Without a password (loopback only) nothing under /observe asks for credentials; CentralSecurityTest has the other side. */
    @Test
    void withoutAPasswordHealthDetailsAndMetricsAreOpen() {
        var details = client.get("/observe/health?exposureLevel=full&data=true");
        assertThat(details.status()).as(details.body()).isEqualTo(200);
        assertThat(details.body()).contains("\"checks\"");
        assertThat(client.get("/observe/metrics").status()).isEqualTo(200);
        var bare = client.get("/observe/health");
        assertThat(bare.body()).isEqualTo("{\"status\":\"UP\"}");
    }
}
