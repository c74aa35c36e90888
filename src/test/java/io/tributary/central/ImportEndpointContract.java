package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sql.Dialect;
import io.tributary.sql.Jdbc;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The import protocol against the real app and a real database; run once per dialect by the subclasses. */
abstract class ImportEndpointContract extends ImportEndpointTestBase {

    private static final AtomicInteger NEXT = new AtomicInteger();

    /** A fresh collection name per test, since the app and database are shared by the class. */
    static String collection() {
        return "col" + NEXT.incrementAndGet();
    }

    static String importUrl(String collection, String parameters) {
        return "/_api/import?collection=" + collection + (parameters.isEmpty() ? "" : "&" + parameters);
    }

    CentralClient.Response importInto(String collection, String parameters, String body) {
        return client.post(importUrl(collection, parameters), body);
    }

    // ---- formats -----------------------------------------------------------------------------

    @Test
    void importsJsonLinesCountingEmptyLines() {
        String c = collection();
        var r = importInto(c, "type=documents&createCollection=true",
                "{\"_key\":\"a\",\"n\":1}\n\n{\"_key\":\"b\",\"n\":2}\r\n   \n{\"_key\":\"c\",\"nested\":{\"x\":[1,2]}}\n");
        assertCounts(r, 3, 0, 2, 0, 0);
        assertThat(rows(c)).isEqualTo(3);
        JsonNode doc = storedDocument(c, "c");
        assertThat(doc.get("_id").asText()).isEqualTo(c + "/c");
        assertThat(doc.get("_key").asText()).isEqualTo("c");
        assertThat(doc.get("nested").get("x").get(1).asInt()).isEqualTo(2);
        var count = client.get("/_api/collection/" + c + "/count");
        assertThat(count.status()).isEqualTo(200);
        assertThat(count.json().get("count").asLong()).isEqualTo(3);
        assertThat(count.json().get("name").asText()).isEqualTo(c);
    }

    @Test
    void importsHeadersAndValuesWithoutType() {
        String c = collection();
        var r = importInto(c, "createCollection=true&details=true",
                "[\"_key\",\"name\",\"age\"]\n[\"john\",\"John\",35]\n\n[\"katie\",null,28]\n[\"x\",\"too\",\"many\",1]\n[\"y\",\"few\"]\n{\"no\":\"array\"}");
        assertCounts(r, 2, 3, 1, 0, 0);
        assertThat(r.json().get("details")).hasSize(3);
        assertThat(r.json().get("details").get(0).asText()).startsWith("at position 5: wrong number of JSON values");
        assertThat(storedDocument(c, "katie").has("name")).as("null means absent in this format").isFalse();
        assertThat(storedDocument(c, "john").get("age").asInt()).isEqualTo(35);
        assertThat(rows(c)).isEqualTo(2);
    }

    @Test
    void generatesKeysForDocumentsWithoutOne() {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true", "{\"v\":1}\n{\"v\":2}\n{\"v\":3}"), 3, 0, 0, 0, 0);
        List<?> keys = db.query("SELECT " + db.dialect().quote("_key") + " AS k FROM " + table(c)).stream()
                .map(m -> m.get("k")).toList();
        assertThat(keys).hasSize(3).doesNotHaveDuplicates().allSatisfy(k -> assertThat(DocumentKey.isValid((String) k)).isTrue());
    }

    @Test
    void unicodeAndPreciseNumbersSurvive() {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true",
                "{\"_key\":\"u\",\"text\":\"Grüße 日本 😀\",\"big\":123456789012345678901234567890,\"f\":0.1000000000000000055511151231257827}"),
                1, 0, 0, 0, 0);
        JsonNode d = storedDocument(c, "u");
        assertThat(d.get("text").asText()).isEqualTo("Grüße 日本 😀");
        assertThat(d.get("big").bigIntegerValue().toString()).isEqualTo("123456789012345678901234567890");
    }

    // ---- collections and databases -----------------------------------------------------------

    @Test
    void unknownCollectionIs404AndCreatesNothing() {
        long before = collections();
        String c = collection();
        assertError(importInto(c, "type=documents", "{\"_key\":\"a\"}"), 404, 1203, "collection or view not found");
        assertError(importInto(c, "type=documents&createCollection=false", "{\"_key\":\"a\"}"), 404, 1203, c);
        assertError(client.get("/_api/collection/" + c + "/count"), 404, 1203, "not found");
        assertError(client.get("/_api/document/" + c + "/a"), 404, 1203, "not found");
        assertThat(collections()).isEqualTo(before);
    }

    @Test
    void databasesKeepCollectionsApart() {
        String c = collection();
        assertCounts(client.post("/_db/alpha/_api/import?type=documents&createCollection=true&collection=" + c,
                "{\"_key\":\"a\",\"db\":\"alpha\"}"), 1, 0, 0, 0, 0);
        assertCounts(client.post("/_db/beta-2/_api/import?type=documents&createCollection=true&collection=" + c,
                "{\"_key\":\"a\",\"db\":\"beta\"}\n{\"_key\":\"b\"}"), 1 + 1, 0, 0, 0, 0);
        assertThat(rows("alpha", c)).isEqualTo(1);
        assertThat(rows("beta-2", c)).isEqualTo(2);
        assertThat(rows(c)).as("not in _system").isEqualTo(-1);
        assertThat(client.get("/_db/alpha/_api/document/" + c + "/a").json().get("db").asText()).isEqualTo("alpha");
        assertThat(client.get("/_db/beta-2/_api/collection/" + c + "/count").json().get("count").asInt()).isEqualTo(2);
        assertError(client.post("/_db/9bad/_api/import?type=documents&createCollection=true&collection=" + c, "{}"),
                400, 1229, "database name invalid");
        assertError(client.post("/_db/x%27y/_api/import?type=documents&createCollection=true&collection=" + c, "{}"),
                400, 1229, "database name invalid");
    }

    /** Which names are refused is ImportRequestTest's; here: the longest name, and names differing in case, are tables of their own. */
    @Test
    void longestAndCaseDifferingCollectionNamesAreTablesOfTheirOwn() {
        String longest = "L" + "x".repeat(255);
        assertCounts(client.post("/_api/import?type=documents&createCollection=true&collection=" + longest,
                "{\"_key\":\"a\"}"), 1, 0, 0, 0, 0);
        assertCounts(client.post("/_api/import?type=documents&createCollection=true&collection=" + longest.toLowerCase(),
                "{\"_key\":\"a\"}"), 1, 0, 0, 0, 0);
        assertThat(rows(longest)).isEqualTo(1);
        assertThat(rows(longest.toLowerCase())).as("names are case-sensitive").isEqualTo(1);
    }

    // ---- bad input ---------------------------------------------------------------------------

    /**
     * What is refused, and how, is decided before the store and tested once in ImportRequestTest and
     * ImportBodyTest; this checks that such refusals reach the client as ArangoDB errors and write nothing.
     */
    @Test
    void refusedRequestsAnswerArangoDbErrorsAndWriteNothing() {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true", "{\"_key\":\"kept\"}"), 1, 0, 0, 0, 0);
        long before = collections();
        String fresh = collection();
        assertError(importInto(fresh, "type=documents&createCollection=true&bogus=1", "{}"), 400, 400, "unknown query parameter 'bogus'");
        assertError(client.post("/_api/import?type=documents&createCollection=true&collection=a%3Bdrop", "{}"), 400, 1208, "illegal name");
        assertError(importInto(fresh, "type=documents&createCollection=true", "{\"_key\":\"a\"}\n{\"_key\":"), 400, 600, "truncated");
        assertError(client.post(importUrl(fresh, "type=documents&createCollection=true"), "{}", "X-Tributary-Source", "s"),
                400, 400, "go together");
        assertError(importInto(c, "type=array", "[{\"_key\":\"a\"},{\"_key\":\"a\",\"_key\":\"b\"}]"), 400, 600,
                "duplicate attribute name");
        assertThat(collections()).as("no collection created").isEqualTo(before);
        assertThat(rows(c)).as("nothing of a refused request").isEqualTo(1);
    }

    @Test
    void nonObjectDocumentsAndBadKeys() {
        String c = collection();
        var r = importInto(c, "type=array&createCollection=true&details=true",
                "[{\"_key\":\"ok\"},1,\"s\",null,[1],{\"_key\":\"bad key\"},{\"_key\":5},{\"_key\":\"" + "k".repeat(255) + "\"},{\"_key\":\"k-:.@()+,=;$!*'%\"}]");
        assertCounts(r, 2, 7, 0, 0, 0);
        assertThat(r.json().get("details")).hasSize(7);
        assertThat(rows(c)).isEqualTo(2);

        String d = collection();
        assertError(importInto(d, "type=array&createCollection=true&complete=true", "[{\"_key\":\"a\"},42]"),
                400, 1227, "at position 1: invalid JSON type");
        assertError(importInto(d, "type=array&complete=true", "[{\"_key\":\"a\"},{\"_key\":\"b c\"}]"),
                400, 1221, "illegal document key");
        assertThat(rows(d)).isEqualTo(0);
        var noDetails = importInto(d, "type=array", "[1]");
        assertCounts(noDetails, 0, 1, 0, 0, 0);
        assertThat(noDetails.json().has("details")).isFalse();
    }

    // ---- duplicates --------------------------------------------------------------------------

    @Test
    void onDuplicateErrorCountsAndKeepsTheStoredDocument() {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true", "{\"_key\":\"a\",\"v\":1}"), 1, 0, 0, 0, 0);
        var r = importInto(c, "type=documents&details=true", "{\"_key\":\"a\",\"v\":2}\n{\"_key\":\"b\",\"v\":1}\n{\"_key\":\"b\",\"v\":2}");
        assertCounts(r, 1, 2, 0, 0, 0);
        assertThat(r.json().get("details").get(0).asText())
                .startsWith("at position 1: creating document failed with error 'unique constraint violated'");
        assertThat(r.json().get("details").get(1).asText()).startsWith("at position 3:");
        assertThat(storedDocument(c, "a").get("v").asInt()).isEqualTo(1);
        assertThat(storedDocument(c, "b").get("v").asInt()).as("first in the request wins").isEqualTo(1);
    }

    @Test
    void completeWithADuplicateIs409AndWritesNothing() {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true", "{\"_key\":\"a\"}"), 1, 0, 0, 0, 0);
        assertError(importInto(c, "type=documents&complete=true", "{\"_key\":\"new1\"}\n{\"_key\":\"a\"}"),
                409, 1210, "unique constraint violated");
        assertError(importInto(c, "type=array&complete=true", "[{\"_key\":\"x\"},{\"_key\":\"x\"}]"),
                409, 1210, "unique constraint violated");
        assertError(importInto(c, "type=array&complete=true&overwrite=true", "[{\"_key\":\"y\"},{\"_key\":\"y\"}]"),
                409, 1210, "at position 1");
        assertThat(rows(c)).as("only the first document; overwrite rolled back too").isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM " + table(c) + " WHERE " + db.dialect().quote("_key") + " = 'a'")).isEqualTo(1);
    }

    @Test
    void onDuplicateIgnoreReplaceAndUpdate() {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true",
                "{\"_key\":\"a\",\"keep\":1,\"obj\":{\"x\":1,\"y\":1},\"arr\":[1,2]}"), 1, 0, 0, 0, 0);

        assertCounts(importInto(c, "type=documents&onDuplicate=ignore", "{\"_key\":\"a\",\"keep\":2}\n{\"_key\":\"n\"}\n{\"_key\":\"n\",\"dup\":1}"),
                1, 0, 0, 0, 2);
        assertThat(storedDocument(c, "a").get("keep").asInt()).isEqualTo(1);
        assertThat(storedDocument(c, "n").has("dup")).isFalse();

        assertCounts(importInto(c, "type=documents&onDuplicate=update",
                "{\"_key\":\"a\",\"obj\":{\"y\":2,\"z\":3},\"arr\":[9],\"nul\":null}\n{\"_key\":\"a\",\"more\":true}"), 0, 0, 0, 2, 0);
        JsonNode merged = storedDocument(c, "a");
        assertThat(merged.get("keep").asInt()).isEqualTo(1);
        assertThat(merged.get("obj").toString()).isEqualTo("{\"x\":1,\"y\":2,\"z\":3}".replace(" ", ""));
        assertThat(merged.get("arr").toString()).isEqualTo("[9]");
        assertThat(merged.get("nul").isNull()).isTrue();
        assertThat(merged.get("more").asBoolean()).isTrue();

        assertCounts(importInto(c, "type=documents&onDuplicate=replace", "{\"_key\":\"a\",\"only\":1}\n{\"_key\":\"r\",\"v\":1}\n{\"_key\":\"r\",\"v\":2}"),
                1, 0, 0, 2, 0);
        JsonNode replaced = storedDocument(c, "a");
        assertThat(replaced.has("keep")).isFalse();
        assertThat(replaced.get("only").asInt()).isEqualTo(1);
        assertThat(storedDocument(c, "r").get("v").asInt()).as("later duplicate in the request replaces").isEqualTo(2);
        assertThat(rows(c)).isEqualTo(3);
    }

    @Test
    void overwriteTruncatesFirst() {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true", "{\"_key\":\"a\"}\n{\"_key\":\"b\"}"), 2, 0, 0, 0, 0);
        assertCounts(importInto(c, "type=documents&overwrite=true", "{\"_key\":\"b\",\"v\":2}\n{\"_key\":\"c\"}"), 2, 0, 0, 0, 0);
        assertThat(rows(c)).isEqualTo(2);
        assertThat(client.get("/_api/document/" + c + "/a").status()).isEqualTo(404);
        assertThat(storedDocument(c, "b").get("v").asInt()).isEqualTo(2);
    }

    // ---- versionAttribute --------------------------------------------------------------------

    @Test
    void versionAttributeNeverLetsAnOlderOrEqualReplayOverwrite() {
        String c = collection();
        String p = "type=documents&createCollection=true&onDuplicate=replace&versionAttribute=ver";
        assertCounts(importInto(c, p, "{\"_key\":\"a\",\"ver\":5,\"s\":\"five\"}\n{\"_key\":\"b\",\"ver\":5}"), 2, 0, 0, 0, 0);
        assertCounts(importInto(c, p, "{\"_key\":\"a\",\"ver\":4,\"s\":\"four\"}"), 0, 0, 0, 0, 1);
        assertCounts(importInto(c, p, "{\"_key\":\"a\",\"ver\":5,\"s\":\"five\"}"), 0, 0, 0, 0, 1);
        // an equal version with other content is a conflict (see anEqualVersionWithOtherContentIsAConflict...)
        assertCounts(importInto(c, p, "{\"_key\":\"a\",\"ver\":5,\"s\":\"five again\"}"), 0, 1, 0, 0, 0);
        assertThat(storedDocument(c, "a").get("s").asText()).isEqualTo("five");
        assertCounts(importInto(c, p, "{\"_key\":\"a\",\"ver\":5.9,\"s\":\"5.9 rounds down\"}"), 0, 1, 0, 0, 0);
        assertCounts(importInto(c, p, "{\"_key\":\"a\",\"ver\":4.9,\"s\":\"4.9 rounds down\"}"), 0, 0, 0, 0, 1);
        assertCounts(importInto(c, p, "{\"_key\":\"a\",\"ver\":6,\"s\":\"six\"}\n{\"_key\":\"a\",\"ver\":5,\"s\":\"late\"}"), 0, 0, 0, 1, 1);
        assertThat(storedDocument(c, "a").get("s").asText()).isEqualTo("six");
        assertThat(db.count("SELECT COUNT(*) FROM " + table(c) + " WHERE " + db.dialect().quote("_version") + " = 6")).isEqualTo(1);
        // a write without a numeric version goes ahead, as in ArangoDB
        assertCounts(importInto(c, p, "{\"_key\":\"b\",\"ver\":\"x\"}"), 0, 0, 0, 1, 0);
        assertCounts(importInto(c, p, "{\"_key\":\"b\",\"ver\":1}"), 0, 0, 0, 1, 0);

        String u = "type=documents&onDuplicate=update&versionAttribute=ver";
        assertCounts(importInto(c, u, "{\"_key\":\"a\",\"ver\":3,\"extra\":1}"), 0, 0, 0, 0, 1);
        assertCounts(importInto(c, u, "{\"_key\":\"a\",\"ver\":70000000000000000000000,\"extra\":2}"), 0, 0, 0, 1, 0);
        JsonNode a = storedDocument(c, "a");
        assertThat(a.get("s").asText()).isEqualTo("six");
        assertThat(a.get("extra").asInt()).isEqualTo(2);
        assertCounts(importInto(c, u, "{\"_key\":\"a\",\"ver\":69999999999999999999999,\"extra\":3}"), 0, 0, 0, 0, 1);
        assertThat(storedDocument(c, "a").get("extra").asInt()).isEqualTo(2);
    }

    @Test
    void aNulCharacterIsStoredOrRefusedAsTheClientsError() {
        String c = collection();
        String p = "type=array&createCollection=true&onDuplicate=replace";
        assertCounts(importInto(c, p, "[{\"_key\":\"before\"}]"), 1, 0, 0, 0, 0);
        CentralClient.Response r = importInto(c, p, "[{\"_key\":\"n1\"},{\"_key\":\"n2\",\"t\":\"a\\u0000b\"}]");
        if (dialect() == Dialect.POSTGRESQL) {
            // jsonb has no text form for U+0000: a 400 naming the cause, so the sender sees it is its data
            assertError(r, 400, 400, "cannot store");
            assertThat(rows(c)).as("nothing of the batch written").isEqualTo(1);
        } else {
            assertCounts(r, 2, 0, 0, 0, 0);
            assertThat(storedDocument(c, "n2").get("t").asText()).isEqualTo("a\u0000b");
        }
    }

    @Test
    void arrayDocumentsAreStoredAsTheirTreesWouldBe() {
        // type=array documents that need no rewriting are scanned, not parsed into trees, and stored as
        // received (on PostgreSQL as one JSON array); those that do need rewriting take the tree path.
        String c = collection();
        String p = "type=array&createCollection=true&onDuplicate=replace&versionAttribute=ver";
        String body = "[ {\"_key\":\"s1\", \"ver\": 7.9, \"nested\": {\"_key\": \"inner\", \"ver\": 99, \"list\": [1, {\"x\": null}]},"
                + " \"big\": 123456789012345678901234567890, \"pi\": 3.14159265358979323846, \"text\": \"caf\u00e9 \\\"q\\\" \\n\","
                + " \"escaped\": \"a\\u001eb\\u0007c\"},\n"
                + " {\"_key\":\"s2\", \"ver\": 1},\n"
                + " {\"_key\":\"s3\", \"_id\": \"elsewhere/s3\", \"_rev\": \"r\", \"ver\": 2} ]";
        assertCounts(importInto(c, p, body), 3, 0, 0, 0, 0);
        JsonNode s1 = storedDocument(c, "s1");
        assertThat(s1.get("nested").get("list").get(1).has("x")).isTrue();
        assertThat(s1.get("big").bigIntegerValue()).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(s1.get("pi").decimalValue()).isEqualByComparingTo("3.14159265358979323846");
        assertThat(s1.get("text").asText()).isEqualTo("caf\u00e9 \"q\" \n");
        assertThat(s1.get("escaped").asText()).as("escaped control characters survive").isEqualTo("a\u001eb\u0007c");
        assertThat(db.count("SELECT COUNT(*) FROM " + table(c) + " WHERE " + db.dialect().quote("_version") + " = 7"))
                .as("the top-level version, rounded down, not the nested one").isEqualTo(1);
        assertThat(storedDocument(c, "s2").get("_key").asText()).isEqualTo("s2");
        JsonNode s3 = storedDocument(c, "s3");
        assertThat(storedRow(c, "s3").has("_rev")).as("an incoming _rev is not stored").isFalse();
        assertThat(s3.get("_rev").asText()).as("reads carry the server's revision").startsWith("_").hasSize(11);
        assertThat(s3.get("_id").asText()).isEqualTo(c + "/s3");
        // a replay with an older top-level version but a newer nested one is ignored
        assertCounts(importInto(c, p, "[{\"_key\":\"s1\",\"ver\":6,\"nested\":{\"ver\":100}}]"), 0, 0, 0, 0, 1);
        assertCounts(importInto(c, p, "[{\"_key\":\"s1\",\"ver\":8}]"), 0, 0, 0, 1, 0);
        assertThat(storedDocument(c, "s1").has("nested")).isFalse();
        // a key that is not a string is still a per-document error (complete=false default)
        assertCounts(importInto(c, p, "[{\"_key\":5},{\"_key\":\"s4\"}]"), 1, 1, 0, 0, 0);
    }


    // ---- limits: one document size, duplicate attribute names ---------------------------------

    @Test
    void aDocumentAtTheLimitIsStoredAndReadBackOnEveryDatabase() {
        String c = collection();
        String prefix = "{\"_key\":\"edge\",\"v\":1,\"s\":\"";
        String doc = prefix + "é".repeat((int) (DocumentLimit.DEFAULT_MAX_BYTES - prefix.length() - 2) / 2) + "\"}";
        assertThat((long) doc.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DocumentLimit.DEFAULT_MAX_BYTES);
        assertCounts(importInto(c, "type=array&createCollection=true&onDuplicate=replace&versionAttribute=v", "[" + doc + ",{\"_key\":\"next\"}]"),
                2, 0, 0, 0, 0);
        assertThat(storedDocument(c, "edge").get("s").asText()).hasSize((int) (DocumentLimit.DEFAULT_MAX_BYTES - prefix.length() - 2) / 2);
        assertCounts(importInto(c, "type=documents&onDuplicate=update", doc.replace("\"v\":1", "\"v\":2")), 0, 0, 0, 1, 0);
    }

    // ---- the version tie rule ----------------------------------------------------------------

    @Test
    void anEqualVersionWithOtherContentIsAConflictNotAnAcknowledgement() {
        String c = collection();
        String p = "type=array&createCollection=true&onDuplicate=replace&versionAttribute=_version&complete=true&details=true";
        assertCounts(importInto(c, p, "[{\"_key\":\"s-1\",\"_version\":5,\"_source\":\"a\",\"v\":1,\"o\":{\"x\":1.50,\"y\":[1,2]}},"
                + "{\"_key\":\"s-2\",\"_version\":5,\"_source\":\"a\"}]"), 2, 0, 0, 0, 0);
        // the same content in another attribute order and number spelling: already applied
        assertCounts(importInto(c, p, "[{\"o\":{\"y\":[1,2],\"x\":1.5},\"v\":1,\"_source\":\"a\",\"_version\":5,\"_key\":\"s-1\"}]"),
                0, 0, 0, 0, 1);
        // another source's row under the same key and version: 409, nothing of the batch written
        var conflict = importInto(c, p, "[{\"_key\":\"s-3\",\"_version\":1},{\"_key\":\"s-1\",\"_version\":5,\"_source\":\"b\",\"v\":2}]");
        assertError(conflict, 409, 1200, "conflict: document 's-1'");
        assertThat(conflict.json().get("errorMessage").asText()).contains("stored from source 'a'").contains("sent by source 'b'")
                .contains("nothing was imported");
        assertThat(rows(c)).isEqualTo(2);
        assertThat(storedDocument(c, "s-1").get("v").asInt()).isEqualTo(1);
        // without complete: counted as an error with details, the rest is written, the position does not move
        String source = "src-" + c;
        var partial = client.post(importUrl(c, p.replace("&complete=true", "")),
                "[{\"_key\":\"s-4\",\"_version\":1},{\"_key\":\"s-2\",\"_version\":5,\"changed\":true}]",
                "X-Tributary-Source", source, "X-Tributary-Position", "0000000001");
        assertCounts(partial, 1, 1, 0, 0, 0);
        assertThat(partial.json().get("details").get(0).asText()).startsWith("at position 1: conflict: document 's-2'")
                .contains("sent by source '" + source + "'");
        assertError(client.get("/_api/tributary/positions/" + source), 404, 404, source);
        // a stored document without _source is said to be so (not "source 'null'")
        var unsourced = importInto(c, p.replace("&complete=true", ""), "[{\"_key\":\"s-4\",\"_version\":1,\"_source\":\"b\"}]");
        assertCounts(unsourced, 0, 1, 0, 0, 0);
        assertThat(unsourced.json().get("details").get(0).asText()).contains("(stored without a source, sent by source 'b')");
        // lower versions stay ignored, higher ones write
        assertCounts(importInto(c, p, "[{\"_key\":\"s-1\",\"_version\":4,\"v\":9},{\"_key\":\"s-2\",\"_version\":6,\"v\":6}]"), 0, 0, 0, 1, 1);
        // the general write path (a key twice in one request) judges ties by the same rule, in-request too
        var twice = importInto(c, p.replace("&complete=true", ""), "[{\"_key\":\"s-5\",\"_version\":1,\"v\":1},"
                + "{\"_key\":\"s-5\",\"_version\":1,\"v\":1},{\"_key\":\"s-5\",\"_version\":1,\"v\":2},{\"_key\":\"s-2\",\"_version\":6,\"v\":7}]");
        assertCounts(twice, 1, 2, 0, 0, 1);
        assertThat(storedDocument(c, "s-5").get("v").asInt()).isEqualTo(1);
        assertThat(storedDocument(c, "s-2").get("v").asInt()).isEqualTo(6);
        // onDuplicate=update: an equal version that would change the document is a conflict too
        String u = "type=documents&onDuplicate=update&versionAttribute=_version&complete=true";
        assertCounts(importInto(c, u, "{\"_key\":\"s-2\",\"_version\":6,\"v\":6}"), 0, 0, 0, 0, 1);
        assertError(importInto(c, u, "{\"_key\":\"s-2\",\"_version\":6,\"extra\":1}"), 409, 1200, "s-2");
    }

    // ---- collection creation -----------------------------------------------------------------

    @Test
    void concurrentFirstImportsCreateOneCollection() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                String c = collection();
                long before = collections();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<Future<CentralClient.Response>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        return importInto(c, "type=array&createCollection=true",
                                "[{\"_key\":\"t" + thread + "-a\"},{\"_key\":\"t" + thread + "-b\"}]");
                    }));
                }
                start.countDown();
                for (Future<CentralClient.Response> f : results) {
                    assertCounts(f.get(60, java.util.concurrent.TimeUnit.SECONDS), 2, 0, 0, 0, 0);
                }
                assertThat(rows(c)).isEqualTo(16);
                assertThat(collections()).isEqualTo(before + 1);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The DDL itself, raced from 8 connections as separate nodes would: every one succeeds. */
    @Test
    void concurrentCreationOfOneTableSucceedsEverywhere() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                String table = JdbcCollectionStore.tableName("race", collection());
                java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(8);
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    results.add(pool.submit(() -> {
                        // a connection of its own each (not the pool's 4), as 8 nodes would have
                        try (java.sql.Connection conn = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), "")) {
                            Jdbc jdbc = new Jdbc(new SingleConnectionDataSource(conn, true));
                            jdbc.dialect(); // detected before the race
                            barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
                            jdbc.create(JdbcCollectionStore.createTableSql(db.dialect(), table));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : results) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
                assertThat(db.count("SELECT COUNT(*) FROM " + db.dialect().quote(table))).isZero();
            }
        } finally {
            pool.shutdown();
        }
    }

    // ---- source registry ---------------------------------------------------------------------

    private static String registration(String fingerprint, String origin, String database, String collection, String prefix) {
        return "{\"fingerprint\":\"" + fingerprint.repeat(64 / fingerprint.length()) + "\",\"origin\":\"" + origin
                + "\",\"database\":\"" + database + "\",\"collection\":\"" + collection + "\",\"keyPrefix\":\"" + prefix + "\"}";
    }

    private CentralClient.Response register(String source, String body) {
        return client.send("PUT", "/_api/tributary/sources/" + source, body);
    }

    @Test
    void aSourceIdBelongsToOneDatabaseAndTable() {
        String c = collection();
        String id = "orders-" + c;
        var created = register(id, registration("a1", "postgresql://db1:5432/shop table public.changes key id", "_system", c, id + "-"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("result").asText()).isEqualTo("created");
        var again = register(id, registration("a1", "postgresql://db1:5432/shop table public.changes key id", "_system", c, id + "-"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("result").asText()).isEqualTo("unchanged");
        // the same id from another database: refused, naming both
        var other = register(id, registration("b2", "mariadb://db2:3306/shop table changes key id", "_system", c, id + "-"));
        assertError(other, 409, 1200, "already registered by another database or table");
        assertThat(other.json().get("errorMessage").asText()).contains("postgresql://db1:5432/shop").contains("mariadb://db2:3306/shop")
                .contains("DELETE /_api/tributary/sources/" + id);
        assertThat(client.get("/_api/tributary/sources/" + id).json().get("origin").asText()).startsWith("postgresql://db1");
        assertThat(client.get("/_api/tributary/sources").json().get("sources").toString()).contains("\"source\":\"" + id + "\"");
        // re-pointing a source legitimately: forget it, then it registers from its new database
        assertThat(client.send("DELETE", "/_api/tributary/sources/" + id, "").status()).isEqualTo(200);
        assertError(client.get("/_api/tributary/sources/" + id), 404, 404, id);
        assertError(client.send("DELETE", "/_api/tributary/sources/" + id, ""), 404, 404, id);
        assertThat(register(id, registration("b2", "mariadb://db2:3306/shop table changes key id", "_system", c, id + "-")).status())
                .isEqualTo(201);
        // moving its collection or prefix (same database and table) updates the registration
        var moved = register(id, registration("b2", "mariadb://db2:3306/shop table changes key id", "_system", c, id + "-v2-"));
        assertThat(moved.json().get("result").asText()).isEqualTo("updated");
        // invalid registrations
        assertError(register(id, "{\"fingerprint\":\"xyz\",\"collection\":\"" + c + "\",\"keyPrefix\":\"\"}"), 400, 400, "fingerprint");
        assertError(register(id, registration("b2", "o", "_system", c, "bad prefix")), 400, 400, "keyPrefix");
        assertError(register("bad%20id!", registration("b2", "o", "_system", c, "p")), 400, 400, "invalid source id");
        assertError(register(id, "not json"), 400, 600, "malformed");
    }

    @Test
    void keyPrefixesOfSourcesSharingACollectionMustNotCollide() {
        String c = collection();
        assertThat(register("eu-" + c, registration("c3", "h2:mem:eu table changes key id", "_system", c, "orders-")).status()).isEqualTo(201);
        for (String prefix : new String[] {"orders-", "orders-eu-", "orders", ""}) {
            var r = register("us-" + c, registration("d4", "h2:mem:us table changes key id", "_system", c, prefix));
            assertError(r, 409, 1200, "collides with source 'eu-" + c + "'");
            assertThat(r.json().get("errorMessage").asText()).contains("source 'us-" + c + "'").contains("h2:mem:us").contains("h2:mem:eu");
        }
        // the same prefix elsewhere is no collision: another collection, another database, a sibling prefix
        assertThat(register("us-" + c, registration("d4", "h2:mem:us table changes key id", "_system", c, "orderz-")).status()).isEqualTo(201);
        assertThat(register("x-" + c, registration("e5", "h2:mem:x table changes key id", "_system", c + "b", "orders-")).status()).isEqualTo(201);
        assertThat(register("y-" + c, registration("f6", "h2:mem:y table changes key id", "other", c, "orders-")).status()).isEqualTo(201);
    }

    @Test
    void aRegisteredSourceWritesOnlyItsOwnKeysIntoItsOwnCollection() {
        String c = collection();
        String id = "shop-" + c;
        assertThat(register(id, registration("a7", "h2:mem:shop table changes key id", "_system", c, "shop-")).status()).isEqualTo(201);
        String p = "type=array&createCollection=true&onDuplicate=replace&versionAttribute=_version&complete=true";
        assertCounts(client.post(importUrl(c, p), "[{\"_key\":\"shop-1\",\"_version\":1}]",
                "X-Tributary-Source", id, "X-Tributary-Position", "1"), 1, 0, 0, 0, 0);
        var foreign = client.post(importUrl(c, p.replace("&complete=true", "")), "[{\"_key\":\"shop-2\",\"_version\":1},{\"_key\":\"other-1\",\"_version\":1}]",
                "X-Tributary-Source", id, "X-Tributary-Position", "2");
        assertError(foreign, 409, 1200, "document key 'other-1' at position 1 does not start with the key prefix 'shop-'");
        String elsewhere = collection();
        assertError(client.post(importUrl(elsewhere, p), "[{\"_key\":\"shop-3\",\"_version\":1}]",
                "X-Tributary-Source", id, "X-Tributary-Position", "3"), 409, 1200, "is registered for _system/" + c);
        assertThat(rows(c)).isEqualTo(1);
        assertThat(rows(elsewhere)).as("refused before the collection was created").isEqualTo(-1);
        assertThat(position(id)).isEqualTo("1");
    }

    // ---- source positions --------------------------------------------------------------------

    @Test
    void sourcePositionsAreMonotonicAndCommitWithTheImport() {
        String c = collection();
        String source = "src-" + c;
        String p = "type=documents&createCollection=true&onDuplicate=replace&versionAttribute=v";
        assertError(client.get("/_api/tributary/positions/" + source), 404, 404, source);
        assertCounts(client.post(importUrl(c, p), "{\"_key\":\"a\",\"v\":1}",
                "X-Tributary-Source", source, "X-Tributary-Position", "0000000010"), 1, 0, 0, 0, 0);
        assertThat(position(source)).isEqualTo("0000000010");
        assertCounts(client.post(importUrl(c, p), "{\"_key\":\"a\",\"v\":1}",
                "X-Tributary-Source", source, "X-Tributary-Position", "0000000005"), 0, 0, 0, 0, 1);
        assertThat(position(source)).as("a replay never moves the position back").isEqualTo("0000000010");
        assertCounts(client.post(importUrl(c, p), "{\"_key\":\"b\",\"v\":1}",
                "X-Tributary-Source", source, "X-Tributary-Position", "0000000020"), 1, 0, 0, 0, 0);
        assertThat(position(source)).isEqualTo("0000000020");

        // failed in full (complete=true): neither documents nor position
        assertError(client.post(importUrl(c, "type=documents&complete=true"), "{\"_key\":\"z\"}\n{\"_key\":\"a\"}",
                "X-Tributary-Source", source, "X-Tributary-Position", "0000000030"), 409, 1210, "unique");
        // partly failed: the valid documents commit, the position must not claim the failed ones
        assertCounts(client.post(importUrl(c, "type=documents"), "{\"_key\":\"y\"}\n{\"_key\":\"a\"}",
                "X-Tributary-Source", source, "X-Tributary-Position", "0000000040"), 1, 1, 0, 0, 0);
        assertThat(position(source)).isEqualTo("0000000020");
        assertThat(rows(c)).isEqualTo(3);


        var all = client.get("/_api/tributary/positions");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("positions").toString()).contains("\"source\":\"" + source + "\",\"position\":\"0000000020\"");
        assertThat(db.query("SELECT position FROM tributary_source_positions WHERE source = ?", source).get(0).get("position"))
                .isEqualTo("0000000020");
    }

    private String position(String source) {
        var r = client.get("/_api/tributary/positions/" + source);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("source").asText()).isEqualTo(source);
        return r.json().get("position").asText();
    }

    @Test
    void largeBatchesInsertThenReplaceAcrossChunks() {
        String c = collection();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            body.append("{\"_key\":\"k").append(i).append("\",\"v\":").append(i).append(",\"pad\":\"abcdefghij\"}\n");
        }
        long t0 = System.nanoTime();
        assertCounts(importInto(c, "type=documents&createCollection=true", body.toString()), 5000, 0, 0, 0, 0);
        long t1 = System.nanoTime();
        assertCounts(importInto(c, "type=documents&onDuplicate=replace&versionAttribute=v",
                body.toString().replace("\"v\":", "\"v\":1000000+").replace("1000000+", "1")), 0, 0, 0, 5000, 0);
        long t2 = System.nanoTime();
        System.out.printf("%s: 5000 inserts in %d ms, 5000 replaces in %d ms%n", db.dialect(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000);
        assertThat(rows(c)).isEqualTo(5000);
        assertThat(storedDocument(c, "k4999").get("v").asLong()).isEqualTo(14999);
    }

    // ---- concurrency -------------------------------------------------------------------------

    @Test
    void concurrentRequestsOnTheSameKeysAllSucceed() throws Exception {
        String c = collection();
        assertCounts(importInto(c, "type=documents&createCollection=true", "{\"_key\":\"seed\"}"), 1, 0, 0, 0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<CentralClient.Response>> results = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                results.add(pool.submit(() -> importInto(c, "type=documents&onDuplicate=update",
                        "{\"_key\":\"k1\",\"w" + n + "\":1}\n{\"_key\":\"k2\",\"w" + n + "\":1}\n{\"_key\":\"k3\",\"w" + n + "\":1}")));
            }
            for (Future<CentralClient.Response> f : results) {
                var r = f.get();
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                assertThat(r.json().get("errors").asInt()).isZero();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(rows(c)).isEqualTo(4);
        assertThat(storedRow(c, "k2").size()).as("every update merged: _key + 30 attributes").isEqualTo(1 + 30);
    }

    String table(String collection) {
        var t = db.query("SELECT table_name FROM tributary_collections WHERE database_name = '_system' AND collection_name = ?",
                collection);
        return db.dialect().quote((String) t.get(0).get("table_name"));
    }
}
