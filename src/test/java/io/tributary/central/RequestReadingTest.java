package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.TributaryApp;
import org.junit.jupiter.api.Test;

/**
 * How the central node reads a request as curl and the drivers send it: path parameters by their place
 * in the route (whatever the database or collection is called), percent-escapes decoded but a '+' kept,
 * {@code curl -d} form bodies read as JSON on every JSON API, and bodies refused in the terms they were sent.
 */
class RequestReadingTest extends ProtectedCentralTestBase {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Override
    void configure(TributaryApp.Builder builder) {
        super.configure(builder);
        builder.routes("file:routes/central-import.camel.yaml", "file:routes/collection-sync.camel.yaml", "file:routes/jobs.camel.yaml");
    }

    @Test
    void databasesNamedLikeApiSegmentsAreReadFromTheirPlace() {
        CentralClient c = authorized();
        assertThat(c.post("/_db/document/_api/collection", "{\"name\":\"central\"}").status()).isEqualTo(200);
        assertThat(c.post("/_db/document/_api/document/central", "{\"_key\":\"demo-1\",\"n\":1}").status()).isEqualTo(202);
        var read = c.get("/_db/document/_api/document/central/demo-1");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get("_id").asText()).isEqualTo("central/demo-1");
        assertThat(rows("document", "central")).isEqualTo(1);

        assertThat(c.post("/_db/collection/_api/collection", "{\"name\":\"document\"}").status()).isEqualTo(200);
        var count = c.get("/_db/collection/_api/collection/document/count");
        assertThat(count.status()).as(count.body()).isEqualTo(200);
        assertThat(count.json().get("name").asText()).isEqualTo("document");
        assertError(c.get("/_db/collection/_api/collection/central"), 404, 1203, "not found");
    }

    @Test
    void keysArePercentDecodedWithThePlusKept() {
        CentralClient c = authorized();
        var imported = c.post("/_api/import?collection=keys&type=documents&createCollection=true",
                "{\"_key\":\"a+b\"}\n{\"_key\":\"50%off\"}\n{\"_key\":\"a b\"}");
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        var plus = c.get("/_api/document/keys/a+b");
        assertThat(plus.status()).as(plus.body()).isEqualTo(200);
        assertThat(plus.json().get("_key").asText()).isEqualTo("a+b");
        assertThat(c.get("/_api/document/keys/a%2Bb").json().get("_key").asText()).isEqualTo("a+b");
        assertThat(c.get("/_api/document/keys/50%25off").json().get("_key").asText()).isEqualTo("50%off");
        // '/' and ' ' are no key characters in ArangoDB: the document "a b" was refused, not stored under "a+b"
        assertError(c.get("/_api/document/keys/a%20b"), 400, 1221, "illegal document key");
        assertError(c.get("/_api/document/keys/a%2Fb"), 400, 1221, "illegal document key");
        assertThat(c.method("DELETE", "/_api/document/keys/a+b").status()).isEqualTo(202);
        assertThat(rows("keys")).isEqualTo(1);
    }

    @Test
    void formBodiesAreJsonOnTributarysOwnApiToo() {
        var r = authorized().post("/api/sync/jobs", "{\"target\":{\"collection\":\"x\"}}", "Content-Type", FORM);
        assertError(r, 400, 400, "'source' is required");
    }

    @Test
    void bodiesAreRefusedInTheTermsTheyWereSent() {
        CentralClient c = authorized();
        assertError(c.post("/_api/collection", "{}"), 400, 400, "give the \"name\" field");
        assertThat(c.post("/_api/collection", "{\"name\":\"bodies\"}").status()).isEqualTo(200);
        for (String body : new String[] {"{\"_key\":\"a\"}{\"_key\":\"b\"}", "{\"_key\":\"a\"},{\"_key\":\"b\"}", ""}) {
            assertError(c.post("/_api/document/bodies", body), 400, 600, "the body must be one JSON object or one array of objects");
        }
        assertThat(rows("bodies")).isZero();
        assertThat(c.post("/_api/document/bodies", "{\"_key\":\"a\"}").status()).isEqualTo(202);
        assertError(c.send("PUT", "/_api/document/bodies/a", "{\"x\":1}{\"x\":2}"), 400, 600, "one JSON object");
        assertThat(c.get("/_api/document/bodies/a").json().has("x")).as("not replaced by the first of two objects").isFalse();
    }
}
