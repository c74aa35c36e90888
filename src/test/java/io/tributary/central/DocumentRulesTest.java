package io.tributary.central;

import io.tributary.http.CollectionName;
import io.tributary.http.ApiException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The naming, key and version rules on their own, without a server. */
class DocumentRulesTest {

    @Test
    void tableNamesAreShortSafeAndDistinct() {
        String a = JdbcCollectionStore.tableName("_system", "Orders-2024");
        assertThat(a).matches("tc_orders_2024_[0-9a-f]{16}");
        assertThat(JdbcCollectionStore.tableName("_system", "orders-2024")).isNotEqualTo(a);
        assertThat(JdbcCollectionStore.tableName("other", "Orders-2024")).isNotEqualTo(a);
        assertThat(JdbcCollectionStore.tableName("_system", "x".repeat(256))).hasSizeLessThanOrEqualTo(44);
    }

    @Test
    void collectionAndDatabaseNamesFollowArangoDb() {
        assertThat(CollectionName.requireCollection("a", "it")).isEqualTo("a");
        assertThat(CollectionName.requireCollection("A_b-9", "it")).isEqualTo("A_b-9");
        for (String bad : new String[] {"_a", "9a", "a b", "a;b", "ä", "x".repeat(257)}) {
            assertThatThrownBy(() -> CollectionName.requireCollection(bad, "it")).isInstanceOf(ApiException.class);
        }
        assertThat(CollectionName.requireDatabase(null)).isEqualTo("_system");
        assertThat(CollectionName.requireDatabase("_system")).isEqualTo("_system");
        assertThatThrownBy(() -> CollectionName.requireDatabase("_other")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> CollectionName.requireDatabase("d".repeat(65))).isInstanceOf(ApiException.class);
    }

    @Test
    void keysFollowArangoDbAndGeneratedOnesAreUniqueAndOrdered() {
        assertThat(DocumentKey.isValid("k".repeat(254))).isTrue();
        assertThat(DocumentKey.isValid("k".repeat(255))).isFalse();
        assertThat(DocumentKey.isValid("")).isFalse();
        assertThat(DocumentKey.isValid("a/b")).isFalse();
        assertThat(DocumentKey.isValid("a\"b")).isFalse();
        Set<String> seen = new HashSet<>();
        long last = 0;
        for (int i = 0; i < 10_000; i++) {
            String k = DocumentKey.generate();
            assertThat(seen.add(k)).isTrue();
            assertThat(Long.parseLong(k)).isGreaterThan(last);
            last = Long.parseLong(k);
        }
    }

    @Test
    void versionsAreNonNegativeNumbersRoundedDown() throws Exception {
        ObjectNode d = (ObjectNode) Json.MAPPER.readTree(
                "{\"i\":7,\"f\":7.9,\"neg\":-1,\"s\":\"7\",\"huge\":1e40,\"big\":99999999999999999999999999999999999999}");
        assertThat(DocumentJson.version(d, "i")).isEqualTo(BigInteger.valueOf(7));
        assertThat(DocumentJson.version(d, "f")).isEqualTo(BigInteger.valueOf(7));
        assertThat(DocumentJson.version(d, "neg")).isNull();
        assertThat(DocumentJson.version(d, "s")).isNull();
        assertThat(DocumentJson.version(d, "missing")).isNull();
        assertThat(DocumentJson.version(d, "huge")).isNull();
        assertThat(DocumentJson.version(d, "big")).isNotNull();
        assertThat(DocumentJson.version(d, null)).isNull();
    }

    @Test
    void queryStringsAreStrict() {
        assertThat(ImportRequest.parse("collection=c&type=list&onDuplicate=update&complete=true&versionAttribute=v"))
                .satisfies(r -> {
                    assertThat(r.type()).isEqualTo(ImportRequest.Type.ARRAY);
                    assertThat(r.onDuplicate()).isEqualTo(ImportRequest.OnDuplicate.UPDATE);
                    assertThat(r.complete()).isTrue();
                    assertThat(r.versionAttribute()).isEqualTo("v");
                });
        assertThat(ImportRequest.parse("collection=c").type()).isEqualTo(ImportRequest.Type.HEADERS_AND_VALUES);
        assertThatThrownBy(() -> ImportRequest.parse("collection=c&x=%zz")).hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> ImportRequest.parse("collection=c&Collection=d")).hasMessageContaining("'Collection'");
    }
}
