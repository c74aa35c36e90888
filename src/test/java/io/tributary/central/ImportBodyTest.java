package io.tributary.central;

import io.tributary.http.ApiException;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an import body is read into documents or refused as a whole, without a server or a database. */
class ImportBodyTest {

    private static final DocumentLimit LIMIT = new DocumentLimit(DocumentLimit.DEFAULT_MAX_BYTES);

    /** Every import path, as the body of a one-document request: the same document, its format differs. */
    private static final String[][] PATHS = {
            {"type=documents", "%s"}, {"type=array", "[%s]"}, {"type=list", "[ %s ]"}, {"type=auto", "[%s]"},
            {"type=auto", "%s"}};

    private static ImportBody parse(String parameters, byte[] body) {
        return ImportBody.parse(LIMIT, ImportRequest.parse("collection=c&" + parameters), body);
    }

    private static ImportBody parse(String parameters, String body) {
        return parse(parameters, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String parameters, String body, int errorNum, String messagePart) {
        ApiRefusal.assertRefused(() -> parse(parameters, body), 400, errorNum, messagePart);
    }

    private static List<String> keys(ImportBody body) {
        return body.items().stream().map(ImportItem::key).toList();
    }

    private static List<String> errors(ImportBody body) {
        return body.items().stream().filter(i -> !i.isValid()).map(ImportItem::error).toList();
    }

    // ---- formats -----------------------------------------------------------------------------

    @Test
    void jsonLinesCountEmptyLines() {
        ImportBody b = parse("type=documents",
                "{\"_key\":\"a\",\"n\":1}\n\n{\"_key\":\"b\",\"n\":2}\r\n   \n{\"_key\":\"c\",\"nested\":{\"x\":[1,2]}}\n");
        assertThat(keys(b)).containsExactly("a", "b", "c");
        assertThat(b.empty()).isEqualTo(2);
        assertThat(b.items().get(2).document().get("nested").get("x").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void arrayListAndAutoAreReadByTheirFirstCharacter() {
        assertThat(keys(parse("type=array", "[{\"_key\":\"a\"},{\"_key\":\"b\"}]"))).containsExactly("a", "b");
        assertThat(keys(parse("type=list", " [ {\"_key\":\"c\"} ] "))).containsExactly("c");
        assertThat(keys(parse("type=auto", "\n [{\"_key\":\"d\"},\n{\"_key\":\"e\"}]"))).containsExactly("d", "e");
        assertThat(keys(parse("type=auto", "{\"_key\":\"f\"}\n{\"_key\":\"g\"}"))).containsExactly("f", "g");
        ImportBody empty = parse("type=auto", "");
        assertThat(empty.items()).isEmpty();
        assertThat(empty.empty()).isZero();
    }

    @Test
    void headersAndValuesWithoutType() {
        ImportBody b = parse("details=true",
                "[\"_key\",\"name\",\"age\"]\n[\"john\",\"John\",35]\n\n[\"katie\",null,28]\n[\"x\",\"too\",\"many\",1]\n[\"y\",\"few\"]\n{\"no\":\"array\"}");
        assertThat(b.empty()).isEqualTo(1);
        assertThat(b.items().stream().filter(ImportItem::isValid).map(ImportItem::key)).containsExactly("john", "katie");
        assertThat(errors(b)).hasSize(3);
        assertThat(errors(b).get(0)).startsWith("at position 5: wrong number of JSON values");
        assertThat(errors(b).get(1)).startsWith("at position 6: wrong number of JSON values");
        assertThat(errors(b).get(2)).startsWith("at position 7: no valid JSON array data");
        assertThat(b.items().get(1).document().has("name")).as("null means absent in this format").isFalse();
        assertThat(b.items().get(0).document().get("age").asInt()).isEqualTo(35);

        ImportBody missing = parse("ignoreMissing=true", "[\"_key\",\"a\",\"b\"]\n[\"short\",1]");
        assertThat(keys(missing)).containsExactly("short");
        assertThat(missing.items().get(0).document().has("b")).isFalse();
        assertRefused("", "{\"_key\":\"q\"}", 400, "attribute names");
        assertRefused("", "", 400, "attribute names");
    }

    @Test
    void documentsWithoutAKeyGetAGeneratedOne() {
        List<String> keys = keys(parse("type=documents", "{\"v\":1}\n{\"v\":2}\n{\"v\":3}"));
        assertThat(keys).hasSize(3).doesNotHaveDuplicates().allSatisfy(k -> assertThat(DocumentKey.isValid(k)).isTrue());
    }

    @Test
    void appliesEdgePrefixes() {
        ImportItem e = parse("type=documents&fromPrefix=users&toPrefix=groups/",
                "{\"_key\":\"e\",\"_from\":\"1\",\"_to\":\"other/2\"}").items().get(0);
        assertThat(e.document().get("_from").asText()).isEqualTo("users/1");
        assertThat(e.document().get("_to").asText()).isEqualTo("other/2");
        assertThat(e.raw()).as("a rewritten document is not stored as received").isNull();
    }

    // ---- bad input ---------------------------------------------------------------------------

    @Test
    void malformedOrTruncatedJsonRefusesTheWholeBody() {
        int json = ApiException.CORRUPTED_JSON;
        assertRefused("type=documents", "{\"_key\":\"a\"}\n{\"_key\":", json, "truncated");
        assertRefused("type=array", "[{\"_key\":\"a\"},{\"_key\":\"b\"", json, "truncated");
        assertRefused("type=array", "[{\"_key\":\"a\"}] trailing", json, "");
        assertRefused("type=array", "{\"_key\":\"a\"}", json, "expecting a JSON array");
        assertRefused("type=documents", "{\"_key\":\"a\"}\n{'single':1}", json, "line 2");
        assertRefused("type=documents", "{\"_key\":\"a\"} {\"_key\":\"b\"}", json, "");
        assertRefused("type=auto", "not json at all", json, "malformed JSON");
        ApiRefusal.assertRefused(() -> parse("type=documents",
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}), 400, json, "malformed JSON");
        // a raw control character (here the one PostgreSQL's write path cuts documents at) is not JSON text
        assertRefused("type=array", "[{\"_key\":\"a\",\"t\":\"x\u001ey\"}]", json, "");
    }

    @Test
    void nonObjectDocumentsAndBadKeysArePerDocumentErrors() {
        ImportBody b = parse("type=array", "[{\"_key\":\"ok\"},1,\"s\",null,[1],{\"_key\":\"bad key\"},{\"_key\":5},{\"_key\":\""
                + "k".repeat(255) + "\"},{\"_key\":\"k-:.@()+,=;$!*'%\"}]");
        assertThat(b.items().stream().filter(ImportItem::isValid).map(ImportItem::key)).containsExactly("ok", "k-:.@()+,=;$!*'%");
        assertThat(b.items().stream().map(ImportItem::errorNum)).containsExactly(0, 1227, 1227, 1227, 1227, 1221, 1221, 1221, 0);
        assertThat(errors(b).get(0)).isEqualTo(
                "at position 1: invalid JSON type (expecting object, probably parse error), offending context: 1");
        assertThat(errors(b).get(4)).startsWith("at position 5: creating document failed with error 'illegal document key'");
        assertThat(parse("type=array&complete=true", "[{\"_key\":\"a\"},42]").items().get(1).error())
                .startsWith("at position 1: invalid JSON type");
    }

    // ---- limits: one document size, duplicate attribute names ---------------------------------

    @Test
    void aDocumentOverTheLimitIsThe400OfEveryPath() {
        long limit = DocumentLimit.DEFAULT_MAX_BYTES;
        String over = "{\"_key\":\"big\",\"s\":\"" + "x".repeat((int) limit) + "\"}";
        for (String[] path : PATHS) {
            ApiException e = ApiRefusal.assertRefused(() -> parse(path[0] + "&onDuplicate=replace&versionAttribute=v",
                    "{\"_key\":\"small\"}\n".repeat(path[1].startsWith("[") ? 0 : 1) + String.format(path[1], over)),
                    400, ApiException.DOCUMENT_TOO_LARGE, "document too large");
            assertThat(e.getMessage()).contains("tributary.central.max-document-bytes");
        }
        // headers and values: the line of values is the document
        assertRefused("", "[\"_key\",\"s\"]\n[\"a\",\"ok\"]\n[\"big\",\"" + "y".repeat((int) limit) + "\"]",
                ApiException.DOCUMENT_TOO_LARGE, "line 3");
        // a 20-million-character string, complete=false
        assertRefused("type=array&onDuplicate=replace", "[{\"_key\":\"a\"},{\"_key\":\"huge\",\"s\":\"" + "z".repeat(20_000_000) + "\"}]",
                ApiException.DOCUMENT_TOO_LARGE, "position 1");
        assertRefused("type=array", "[{\"_key\":\"a\"},\"" + "z".repeat((int) limit + 1) + "\"]",
                ApiException.DOCUMENT_TOO_LARGE, "document too large");
    }

    @Test
    void duplicateAttributeNamesAreRefusedAsArangoDbDoes() {
        for (String doc : List.of("{\"_key\":\"a\",\"_key\":\"b\"}", "{\"_key\":\"a\",\"n\":{\"x\":1,\"y\":2,\"x\":3}}",
                "{\"v\":1,\"w\":2,\"v\":1}")) {
            for (String[] path : PATHS) {
                assertRefused(path[0] + "&onDuplicate=replace&versionAttribute=v", String.format(path[1], doc),
                        ApiException.CORRUPTED_JSON, "duplicate attribute name");
            }
        }
        assertRefused("", "[\"_key\",\"a\",\"_key\"]\n[\"x\",1,\"y\"]", ApiException.CORRUPTED_JSON, "duplicate attribute name '_key'");
    }
}
