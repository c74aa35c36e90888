package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.arangodb.ArangoCollection;
import com.arangodb.ArangoDB;
import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDatabase;
import com.arangodb.Protocol;
import com.arangodb.Request;
import com.arangodb.entity.BaseDocument;
import com.arangodb.entity.CollectionEntity;
import com.arangodb.entity.DocumentCreateEntity;
import com.arangodb.entity.DocumentImportEntity;
import com.arangodb.entity.ErrorEntity;
import com.arangodb.entity.MultiDocumentEntity;
import com.arangodb.model.DocumentCreateOptions;
import com.arangodb.model.DocumentImportOptions;
import com.arangodb.model.OverwriteMode;
import com.arangodb.util.RawBytes;
import com.arangodb.util.RawJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sql.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official ArangoDB Java driver against a real Tributary, over HTTP/1.1 and HTTP/2, with a password
 * set: every call it makes before and while importing or reading, checked on the driver's own result
 * objects and on the rows of the central store, which each subclass puts on its database.
 */
abstract class ArangoJavaDriverContract extends ProtectedCentralTestBase {

    @Override
    abstract Dialect dialect();

    private ArangoDB arango;

    private ArangoDB driver(Protocol protocol) {
        arango = new ArangoDB.Builder().host("127.0.0.1", port).protocol(protocol).user("root").password(PASSWORD)
                .timeout(20_000).build();
        return arango;
    }

    /** A driver for this protocol and a new collection named after it. */
    private ArangoCollection newCollection(Protocol protocol, String prefix) {
        ArangoCollection collection = driver(protocol).db().collection(prefix + protocol.name().toLowerCase(Locale.ROOT));
        collection.create();
        return collection;
    }

    @AfterEach
    void shutdownDriver() {
        if (arango != null) {
            arango.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"HTTP_JSON", "HTTP2_JSON"})
    void serverDatabaseAndCollectionCalls(Protocol protocol) {
        driver(protocol);
        assertThat(arango.getVersion().getVersion()).isEqualTo("3.12.0");
        assertThat(arango.getVersion().getServer()).isEqualTo("tributary");
        ArangoDatabase db = arango.db();
        assertThat(db.getInfo().getName()).isEqualTo("_system");
        assertThat(db.exists()).isTrue();

        String name = "meta_" + protocol.name().toLowerCase(Locale.ROOT);
        ArangoCollection collection = db.collection(name);
        assertThat(collection.exists()).isFalse();
        CollectionEntity created = collection.create();
        assertThat(created.getName()).isEqualTo(name);
        assertThat(collection.exists()).isTrue();
        assertThat(collection.getInfo().getName()).isEqualTo(name);
        assertThat(collection.getProperties().getName()).isEqualTo(name);
        assertThat(collection.count().getCount()).isZero();
        assertThat(db.getCollections()).extracting(CollectionEntity::getName).contains(name);
        assertThat(rows(name)).as("the collection's table exists and is empty").isZero();
        assertThatThrownBy(collection::create).isInstanceOfSatisfying(ArangoDBException.class,
                e -> assertThat(e.getErrorNum()).isEqualTo(1207));

        // another database through the driver's /_db/{name} prefix
        ArangoCollection other = arango.db("sales").collection(name);
        assertThat(other.exists()).isFalse();
        other.create();
        assertThat(rows("sales", name)).isZero();

        assertThatThrownBy(() -> db.query("FOR d IN " + name + " RETURN d", BaseDocument.class, Map.of()))
                .isInstanceOfSatisfying(ArangoDBException.class, e -> {
                    assertThat(e.getResponseCode()).isEqualTo(501);
                    assertThat(e.getErrorNum()).isEqualTo(9);
                    assertThat(e.getErrorMessage()).contains("not supported", "Served ArangoDB API");
                });
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"HTTP_JSON", "HTTP2_JSON"})
    void importInEveryFormAndDuplicateMode(Protocol protocol) {
        ArangoCollection collection = newCollection(protocol, "imports_");
        String name = collection.name();

        // objects and raw JSON: the driver sends type=list
        DocumentImportEntity first = collection.importDocuments(List.of(
                Map.of("_key", "a", "n", 1, "tags", Map.of("x", 1)), Map.of("_key", "b", "n", 2)));
        assertImport(first, 2, 0, 0, 0);
        assertImport(collection.importDocuments(RawJson.of("[{\"_key\":\"c\",\"n\":3}]")), 1, 0, 0, 0);

        DocumentImportEntity error = collection.importDocuments(RawJson.of("[{\"_key\":\"a\",\"n\":9},{\"_key\":\"d\"}]"),
                new DocumentImportOptions().onDuplicate(DocumentImportOptions.OnDuplicate.error).details(true));
        assertImport(error, 1, 1, 0, 0);
        assertThat(error.getDetails()).singleElement().asString().contains("unique constraint violated");
        assertThat(storedRow(name, "a").get("n").asInt()).isEqualTo(1);

        DocumentImportEntity update = collection.importDocuments(List.of(Map.of("_key", "a", "m", 5, "tags", Map.of("y", 2))),
                new DocumentImportOptions().onDuplicate(DocumentImportOptions.OnDuplicate.update));
        assertImport(update, 0, 0, 1, 0);
        JsonNode merged = storedRow(name, "a");
        assertThat(merged.get("n").asInt()).isEqualTo(1);
        assertThat(merged.get("m").asInt()).isEqualTo(5);
        assertThat(merged.get("tags").toString()).isEqualTo("{\"x\":1,\"y\":2}");

        DocumentImportEntity replace = collection.importDocuments(List.of(Map.of("_key", "b", "r", true)),
                new DocumentImportOptions().onDuplicate(DocumentImportOptions.OnDuplicate.replace));
        assertImport(replace, 0, 0, 1, 0);
        assertThat(storedRow(name, "b").has("n")).isFalse();
        assertThat(storedRow(name, "b").get("r").asBoolean()).isTrue();

        DocumentImportEntity ignore = collection.importDocuments(List.of(Map.of("_key", "c", "n", 99)),
                new DocumentImportOptions().onDuplicate(DocumentImportOptions.OnDuplicate.ignore));
        assertImport(ignore, 0, 0, 0, 1);
        assertThat(storedRow(name, "c").get("n").asInt()).isEqualTo(3);

        // the forms the driver has no method for, through its own request API; it re-serialises every
        // body as one JSON value, so a documents body holds one line here and headers and values
        // (two lines at least) cannot be sent: ArangojsDriverTest covers that form
        assertThat(rawImport(arango, name, "documents", "{\"_key\":\"e\",\"n\":5}")).contains("\"created\":1");
        assertThat(rawImport(arango, name, "auto", "[{\"_key\":\"f\"},{\"_key\":\"g\"}]")).contains("\"created\":2");
        assertThat(storedRow(name, "e").get("n").asInt()).isEqualTo(5);
        assertThat(rows(name)).isEqualTo(7); // a, b, c, d, e, f, g
        assertThat(collection.count().getCount()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"HTTP_JSON", "HTTP2_JSON"})
    void documentCalls(Protocol protocol) {
        ArangoCollection collection = newCollection(protocol, "docs_");
        String name = collection.name();

        BaseDocument doc = new BaseDocument("k1");
        doc.addAttribute("title", "Dune");
        DocumentCreateEntity<BaseDocument> inserted = collection.insertDocument(doc, new DocumentCreateOptions().returnNew(true));
        assertThat(inserted.getKey()).isEqualTo("k1");
        assertThat(inserted.getId()).isEqualTo(name + "/k1");
        assertThat(inserted.getRev()).isNotBlank();
        assertThat(inserted.getNew().getAttribute("title")).isEqualTo("Dune");
        assertThat(storedRow(name, "k1").get("title").asText()).isEqualTo("Dune");

        DocumentCreateEntity<Void> keyless = collection.insertDocument(Map.of("title", "generated key"));
        assertThat(keyless.getKey()).isNotBlank();
        assertThat(storedRow(name, keyless.getKey()).get("title").asText()).isEqualTo("generated key");

        // overwriteMode: conflict (the default) refuses, ignore keeps, replace and update write
        assertThatThrownBy(() -> collection.insertDocument(Map.of("_key", "k1", "title", "other"),
                new DocumentCreateOptions().overwriteMode(OverwriteMode.conflict)))
                .isInstanceOfSatisfying(ArangoDBException.class, e -> {
                    assertThat(e.getResponseCode()).isEqualTo(409);
                    assertThat(e.getErrorNum()).isEqualTo(1210);
                });
        var ignored = collection.insertDocument(Map.of("_key", "k1", "title", "ignored"),
                new DocumentCreateOptions().overwriteMode(OverwriteMode.ignore));
        assertThat(ignored.getRev()).isEqualTo(inserted.getRev());
        assertThat(storedRow(name, "k1").get("title").asText()).isEqualTo("Dune");
        collection.insertDocument(Map.of("_key", "k1", "year", 1965), new DocumentCreateOptions().overwriteMode(OverwriteMode.update));
        assertThat(storedRow(name, "k1").get("title").asText()).isEqualTo("Dune");
        assertThat(storedRow(name, "k1").get("year").asInt()).isEqualTo(1965);
        collection.insertDocument(Map.of("_key", "k1", "title", "Dune Messiah"), new DocumentCreateOptions().overwriteMode(OverwriteMode.replace));
        assertThat(storedRow(name, "k1").has("year")).isFalse();

        MultiDocumentEntity<DocumentCreateEntity<Void>> many = collection.insertDocuments(List.of(
                Map.of("_key", "k2", "n", 2), Map.of("_key", "k1", "n", 1), Map.of("_key", "k3", "n", 3)));
        assertThat(many.getDocuments()).extracting(DocumentCreateEntity::getKey).containsExactly("k2", "k3");
        assertThat(many.getErrors()).extracting(ErrorEntity::getErrorNum).containsExactly(1210);

        BaseDocument read = collection.getDocument("k2", BaseDocument.class);
        assertThat(read.getKey()).isEqualTo("k2");
        assertThat(read.getId()).isEqualTo(name + "/k2");
        assertThat(read.getRevision()).isNotBlank();
        assertThat(read.getAttribute("n")).isEqualTo(2);
        assertThat(collection.getDocument("missing", BaseDocument.class)).isNull();
        assertThat(collection.documentExists("k2")).isTrue();
        assertThat(collection.documentExists("missing")).isFalse();

        assertThat(collection.replaceDocument("k2", Map.of("n", 20)).getKey()).isEqualTo("k2");
        assertThat(storedRow(name, "k2").get("n").asInt()).isEqualTo(20);
        assertThat(collection.updateDocument("k2", Map.of("m", 21)).getRev()).isNotEqualTo(read.getRevision());
        assertThat(storedRow(name, "k2").get("n").asInt()).isEqualTo(20);
        assertThat(storedRow(name, "k2").get("m").asInt()).isEqualTo(21);
        assertThatThrownBy(() -> collection.replaceDocument("missing", Map.of("n", 1)))
                .isInstanceOfSatisfying(ArangoDBException.class, e -> assertThat(e.getErrorNum()).isEqualTo(1202));

        MultiDocumentEntity<BaseDocument> byKeys = collection.getDocuments(List.of("k1", "k3", "missing"), BaseDocument.class);
        assertThat(byKeys.getDocuments()).extracting(BaseDocument::getKey).containsExactly("k1", "k3");
        assertThat(byKeys.getErrors()).extracting(ErrorEntity::getErrorNum).containsExactly(1202);

        assertThat(collection.deleteDocument("k3").getKey()).isEqualTo("k3");
        assertThat(storedRow(name, "k3")).isNull();
        assertThatThrownBy(() -> collection.deleteDocument("k3"))
                .isInstanceOfSatisfying(ArangoDBException.class, e -> assertThat(e.getErrorNum()).isEqualTo(1202));
        assertThat(collection.count().getCount()).isEqualTo(3); // k1, k2 and the generated key
    }

    private static void assertImport(DocumentImportEntity r, int created, int errors, int updated, int ignored) {
        assertThat(new int[] {r.getCreated(), r.getErrors(), r.getUpdated(), r.getIgnored()})
                .as("created, errors, updated, ignored").containsExactly(created, errors, updated, ignored);
    }

    private static String rawImport(ArangoDB arango, String collection, String type, String body) {
        // RawBytes travel as they are; RawJson would be re-parsed as one JSON value
        var response = arango.execute(Request.<RawBytes>builder().db("_system").method(Request.Method.POST)
                .path("/_api/import").queryParam("collection", collection).queryParam("type", type)
                .body(RawBytes.of(body.getBytes(StandardCharsets.UTF_8))).build(), RawJson.class);
        assertThat(response.getResponseCode()).isEqualTo(201);
        return response.getBody().get();
    }
}
