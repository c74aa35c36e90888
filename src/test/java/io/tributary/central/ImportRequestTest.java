package io.tributary.central;

import io.tributary.http.ApiException;
import static io.tributary.central.ApiRefusal.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The query parameters of an import, read and refused without a server or a database. */
class ImportRequestTest {

    private static ImportRequest parse(String query) {
        return ImportRequest.parse(query);
    }

    private static void assertBadParameter(String query, String messagePart) {
        assertRefused(() -> parse(query), 400, ApiException.BAD_PARAMETER, messagePart);
    }

    @Test
    void parametersAreValidated() {
        String c = "collection=c&";
        assertBadParameter(c + "type=documents&createCollection=true&bogus=1", "unknown query parameter 'bogus'");
        assertBadParameter(c + "type=documents&createCollection=maybe", "'createCollection' must be a boolean");
        assertBadParameter(c + "type=csv&createCollection=true", "parameter 'type'");
        assertBadParameter(c + "type=documents&createCollection=true&onDuplicate=merge", "'onDuplicate'");
        assertBadParameter(c + "type=documents&createCollection=true&complete=2", "'complete'");
        assertBadParameter(c + "type=documents&createCollection=true&details=", "'details'");
        assertBadParameter(c + "type=documents&type=array&createCollection=true", "more than once");
        assertBadParameter(c + "type=documents&createCollection=true&createCollectionType=edge", "edge");
        assertBadParameter("type=documents", "missing collection name");
        assertBadParameter(c + "type=documents&createCollection=true&versionAttribute=", "versionAttribute");
        ImportRequest accepted = parse(c + "type=documents&createCollection=yes&waitForSync=true&createCollectionType=document");
        assertThat(accepted.createCollection()).isTrue();
        assertThat(accepted.type()).isEqualTo(ImportRequest.Type.DOCUMENTS);
    }

    @Test
    void typesFlagsAndOnDuplicateValuesAreRead() {
        assertThat(parse("collection=c").type()).isEqualTo(ImportRequest.Type.HEADERS_AND_VALUES);
        assertThat(parse("collection=c&type=").type()).isEqualTo(ImportRequest.Type.HEADERS_AND_VALUES);
        assertThat(parse("collection=c&type=list").type()).isEqualTo(ImportRequest.Type.ARRAY);
        assertThat(parse("collection=c&type=auto").type()).isEqualTo(ImportRequest.Type.AUTO);
        assertThat(parse("collection=c").onDuplicate()).isEqualTo(ImportRequest.OnDuplicate.ERROR);
        for (ImportRequest.OnDuplicate d : ImportRequest.OnDuplicate.values()) {
            assertThat(parse("collection=c&onDuplicate=" + d.name().toLowerCase()).onDuplicate()).isEqualTo(d);
        }
        ImportRequest flags = parse("collection=c&complete=true&details=on&overwrite=1&ignoreMissing=yes&fromPrefix=users&toPrefix=groups/");
        assertThat(List.of(flags.complete(), flags.details(), flags.overwrite(), flags.ignoreMissing())).containsOnly(true);
        assertThat(flags.fromPrefix()).isEqualTo("users/");
        assertThat(flags.toPrefix()).isEqualTo("groups/");
        ImportRequest defaults = parse("collection=c&complete=false&details=off");
        assertThat(List.of(defaults.complete(), defaults.details(), defaults.overwrite(), defaults.createCollection())).containsOnly(false);
    }

    @Test
    void hostileCollectionNamesAreRejectedBeforeSql() {
        for (String name : List.of("a;drop table x", "a\"b", "a'b", "a`b", "x".repeat(257), "日本", "_system",
                "_users", "1abc", "-a", "a b", "a/b", "a.b", "")) {
            String query = "type=documents&createCollection=true&collection=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
            int errorNum = name.isEmpty() ? ApiException.BAD_PARAMETER : ApiException.ILLEGAL_NAME;
            assertRefused(() -> parse(query), 400, errorNum, name.isEmpty() ? "missing collection name" : "illegal name");
        }
        String longest = "L" + "x".repeat(255);
        assertThat(parse("collection=" + longest).collection()).isEqualTo(longest);
        assertThat(parse("collection=" + longest.toLowerCase()).collection()).isEqualTo(longest.toLowerCase());
    }

    @Test
    void sourceHeadersAreValidated() {
        assertThat(SourcePosition.fromHeaders(null, null)).isNull();
        assertThat(SourcePosition.fromHeaders("src-1", "0000000010")).isEqualTo(new SourcePosition("src-1", "0000000010"));
        assertRefused(() -> SourcePosition.fromHeaders("bad source!", "1"), 400, 400, "invalid source id");
        assertRefused(() -> SourcePosition.fromHeaders("src-1", null), 400, 400, "go together");
        assertRefused(() -> SourcePosition.fromHeaders("src-1", "x".repeat(1001)), 400, 400, "X-Tributary-Position");
    }
}
