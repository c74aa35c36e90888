package io.tributary.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tributary.sql.Dialect;
import io.tributary.testing.TestCentral;
import io.tributary.testing.TestDatabase;
import io.tributary.testing.TributaryApp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The one client for calls to other nodes, against a real Tributary central with a password set. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeClientTest {

    private static final String PASSWORD = "node-Pa55word";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TestDatabase db;
    private TributaryApp app;
    private String url;

    @BeforeAll
    void startCentral() {
        db = TestDatabase.create(Dialect.H2, getClass().getSimpleName());
        int port = TributaryApp.freePort();
        url = "http://127.0.0.1:" + port;
        app = TributaryApp.builder().properties(db.beanProperties("centralDb"))
                .property("camel.server.port", "" + port)
                .property("tributary.central.password", PASSWORD)
                .routes("file:routes/central-import.camel.yaml")
                .start();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private NodeClient client(String password) {
        return new NodeClient(url + "/", new NodeCredentials("root", password), TIMEOUT);
    }

    @Test
    void sendsTheCredentialsAndJsonAndReadsTheAnswer() {
        NodeClient.Answer created = client(PASSWORD).send("POST", "/_api/import?collection=signed&type=array&createCollection=true",
                NodeClient.json(new Object[] {Map.of("_key", "a", "price", new java.math.BigDecimal("0.10"))}), TIMEOUT);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("created").asInt()).as(created.text()).isEqualTo(1);
        var doc = client(PASSWORD).get("/_api/document/signed/a", TIMEOUT).json();
        assertThat(doc.path("price").decimalValue()).as("decimals read with the one mapper, every digit")
                .isEqualTo(new java.math.BigDecimal("0.10"));
    }

    @Test
    void refusedCredentialsAre401WithArangoErrorNumAndNoPassword() {
        NodeErrorAnswer e = catchThrowableOfType(() -> client("wrong-Secret").get("/_api/collection/signed/count", TIMEOUT),
                NodeErrorAnswer.class);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.errorNum()).isEqualTo(401);
        assertThat(e.errorMessage()).containsIgnoringCase("not authorized");
        assertThat(e.getMessage()).startsWith("GET " + url + "/_api/collection/signed/count answered HTTP 401 (errorNum 401)")
                .doesNotContain("wrong-Secret");
    }

    @Test
    void aConflictIs409WithErrorNum1210() {
        NodeClient client = client(PASSWORD);
        NodeErrorAnswer e = catchThrowableOfType(() -> client.send("POST",
                "/_api/import?collection=dup&type=array&complete=true&createCollection=true",
                NodeClient.json(new Object[] {Map.of("_key", "x"), Map.of("_key", "x")}), TIMEOUT), NodeErrorAnswer.class);
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.errorNum()).isEqualTo(1210);
        assertThat(e.errorMessage()).contains("unique constraint violated");
        assertThat(e.excerpt(20)).hasSize(23).endsWith("...");
    }

    @Test
    void aServerFailureIs500WithItsErrorNum() {
        try (TestCentral failing = new TestCentral("root", PASSWORD)) {
            failing.behave(TestCentral.Behaviour.FAIL_500, 1);
            NodeClient client = new NodeClient(failing.url(), new NodeCredentials("root", PASSWORD), TIMEOUT);
            NodeErrorAnswer e = catchThrowableOfType(() -> client.send("POST", "/_api/import?collection=c&type=array",
                    NodeClient.json(new Object[] {Map.of("_key", "a")}), TIMEOUT), NodeErrorAnswer.class);
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.errorNum()).isEqualTo(4);
            assertThat(e.getMessage()).endsWith("answered HTTP 500 (errorNum 4): simulated failure");
        }
    }

    @Test
    void aTimeoutNamesTheUrlButNeverThePassword() throws Exception {
        // accepts connections (the backlog) but never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String silentUrl = "http://127.0.0.1:" + silent.getLocalPort();
            for (NodeClient client : new NodeClient[] {
                    new NodeClient(silentUrl, new NodeCredentials("root", "sEcret-Pw"), TIMEOUT),
                    new NodeClient("http://root:sEcret-Pw@127.0.0.1:" + silent.getLocalPort(), new NodeCredentials(null, null), TIMEOUT)}) {
                NodeUnreachable e = catchThrowableOfType(() -> client.get("/_api/version", Duration.ofMillis(300)),
                        NodeUnreachable.class);
                assertThat(e.timedOut()).isTrue();
                assertThat(e.getMessage()).isEqualTo("GET " + silentUrl + "/_api/version timed out (no answer within 300 ms)");
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).doesNotContain("sEcret-Pw");
            }
        }
    }

    @Test
    void aClosedPortIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        NodeUnreachable e = catchThrowableOfType(() -> new NodeClient("http://127.0.0.1:" + port,
                new NodeCredentials("root", PASSWORD), TIMEOUT).get("/_api/version", TIMEOUT), NodeUnreachable.class);
        assertThat(e.timedOut()).isFalse();
        assertThat(e.getMessage()).isEqualTo("GET http://127.0.0.1:" + port + "/_api/version cannot be reached (connection failed)");
    }
}
