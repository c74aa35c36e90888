package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.central.StoredCollection.Written;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one tie rule ({@link VersionRule}) on every write path of the store, on each database: an import
 * (the PostgreSQL merge and the general path), a sync's upsert and a full copy's swap decide the same
 * data the same way.
 */
abstract class VersionRuleContract {

    abstract Dialect dialect();

    private TestDatabase db;
    private CollectionStore store;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(dialect(), "versionrule");
        store = CollectionStore.onJdbc(db.dataSource());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static VersionedDocument row(String key, Integer version, String attributes) {
        return new VersionedDocument(key, version == null ? null : BigInteger.valueOf(version),
                "{\"_key\":\"" + key + "\"" + (version == null ? "" : ",\"v\":" + version) + "," + attributes + "}");
    }

    private ImportResult importRows(String collection, List<VersionedDocument> rows) {
        ImportRequest request = ImportRequest.parse("collection=" + collection
                + "&createCollection=true&type=array&onDuplicate=replace&versionAttribute=v&details=true");
        String body = "[" + String.join(",", rows.stream().map(VersionedDocument::json).toList()) + "]";
        return store.importDocuments("_system", request,
                ImportBody.parse(new DocumentLimit(DocumentLimit.DEFAULT_MAX_BYTES), request,
                        body.getBytes(StandardCharsets.UTF_8)), null);
    }

    private String stored(String collection, String key) {
        return store.documents("_system", collection, List.of(key)).get(key).path("x").asText();
    }

    @Test
    void aSyncUpsertDecidesEveryCaseByTheRule() {
        StoredCollection c = store.collection("_system", "rows", true);
        c.upsert(List.of(row("same", 5, "\"x\":\"1\""), row("tie", 5, "\"x\":\"1\""), row("older", 5, "\"x\":\"1\""),
                row("newer", 5, "\"x\":\"1\""), row("unversioned", null, "\"x\":\"1\"")));

        Written w = c.upsert(List.of(
                // the same content written differently (attribute order) is the same document
                new VersionedDocument("same", BigInteger.valueOf(5), "{\"x\":\"1\",\"v\":5,\"_key\":\"same\"}"),
                row("tie", 5, "\"x\":\"2\""), row("older", 4, "\"x\":\"2\""), row("newer", 6, "\"x\":\"2\""),
                row("unversioned", null, "\"x\":\"2\""), row("created", 1, "\"x\":\"2\"")));

        assertThat(w.written()).as("newer, unversioned, created").isEqualTo(3);
        assertThat(w.unchanged()).isEqualTo(1);
        assertThat(w.keptNewer()).isEqualTo(1);
        assertThat(w.conflicts()).isEqualTo(1);
        assertThat(w.conflictKeys()).containsExactly("tie");
        assertThat(stored("rows", "tie")).as("a conflict is not written").isEqualTo("1");
        assertThat(stored("rows", "older")).isEqualTo("1");
        assertThat(stored("rows", "newer")).isEqualTo("2");
        assertThat(stored("rows", "unversioned")).isEqualTo("2");
        assertThat(c.wouldUpsert(List.of(row("tie", 5, "\"x\":\"3\""))).conflicts()).as("a dry run decides alike")
                .isEqualTo(1);
    }

    @Test
    void aReplayedImportASyncAndAFullCopyOfTheSameDataAgree() {
        List<VersionedDocument> first = List.of(row("a", 5, "\"x\":\"1\""), row("b", 5, "\"x\":\"1\""));
        List<VersionedDocument> again = List.of(row("a", 5, "\"x\":\"1\""), row("b", 5, "\"x\":\"2\""));
        assertThat(importRows("imported", first).created()).isEqualTo(2);
        StoredCollection synced = store.collection("_system", "synced", true);
        synced.upsert(first);
        StoredCollection copied = store.collection("_system", "copied", true);
        copied.upsert(first);

        ImportResult replay = importRows("imported", again);
        Written sync = synced.upsert(again);
        copied.createStaging();
        copied.stage(again);
        Written copy = copied.swap((deleting, before) -> { });
        copied.dropStaging();

        assertThat(replay.ignored()).as("import: same content ignored").isEqualTo(1);
        assertThat(replay.errors()).as("import: conflict reported").isEqualTo(1);
        assertThat(replay.failures().get(0).error()).contains("conflict: document 'b' has the same version");
        assertThat(List.of(sync.unchanged(), sync.conflicts(), sync.written())).as("sync").containsExactly(1L, 1L, 0L);
        assertThat(List.of(copy.unchanged(), copy.conflicts(), copy.written())).as("full copy").containsExactly(1L, 1L, 0L);
        assertThat(copy.conflictKeys()).containsExactly("b");
        for (String collection : List.of("imported", "synced", "copied")) {
            assertThat(stored(collection, "b")).as(collection + " keeps the stored document").isEqualTo("1");
        }
    }

    @Test
    void aFullCopyKeepsNewerRowsAndRemovesMissingOnes() {
        StoredCollection c = store.collection("_system", "full", true);
        c.upsert(List.of(row("kept", 9, "\"x\":\"1\""), row("gone", 1, "\"x\":\"1\""), row("replaced", 1, "\"x\":\"1\"")));
        c.createStaging();
        c.stage(List.of(row("kept", 8, "\"x\":\"2\""), row("replaced", 2, "\"x\":\"2\""), row("added", null, "\"x\":\"2\"")));
        long[] seen = new long[2];
        Written w = c.swap((deleting, before) -> {
            seen[0] = deleting;
            seen[1] = before;
        });
        c.dropStaging();
        assertThat(seen).containsExactly(1, 3);
        assertThat(List.of(w.written(), w.deleted(), w.keptNewer())).containsExactly(2L, 1L, 1L);
        assertThat(stored("full", "kept")).isEqualTo("1");
        assertThat(stored("full", "replaced")).isEqualTo("2");
        assertThat(store.documents("_system", "full", List.of("gone"))).isEmpty();
    }

    /**
     * A full copy of the data already stored rewrites none of it: on H2 a swap that read or rewrote every
     * stored document in its one transaction held all of them in the heap until it committed.
     */
    @Test
    void aFullCopyOfTheSameTextRewritesNoRow() throws Exception {
        StoredCollection c = store.collection("_system", "again", true);
        c.upsert(List.of(row("same", null, "\"x\":\"1\""), row("reordered", null, "\"x\":\"1\""),
                row("changed", null, "\"x\":\"1\""), row("tied", 5, "\"x\":\"1\"")));
        String table = JdbcCollectionStore.tableName("_system", "again");
        Rewrites rewrites = new Rewrites(db, table);
        c.createStaging();
        c.stage(List.of(row("same", null, "\"x\":\"1\""),
                new VersionedDocument("reordered", null, "{\"x\":\"1\",\"_key\":\"reordered\"}"),
                row("changed", null, "\"x\":\"2\""), row("tied", 5, "\"x\":\"1\""), row("added", null, "\"x\":\"2\"")));
        Written w = c.swap((deleting, before) -> { });
        c.dropStaging();

        assertThat(List.of(w.written(), w.unchanged(), w.deleted(), w.keptNewer(), w.conflicts()))
                .as("written, unchanged, deleted, kept newer, conflicts").containsExactly(2L, 3L, 0L, 0L, 0L);
        // "reordered" is the same text once PostgreSQL stored it as JSONB; elsewhere it is rewritten unchanged
        assertThat(rewrites.keys()).as("rows rewritten by the swap").contains("changed").doesNotContain("same", "tied");
        assertThat(stored("again", "changed")).isEqualTo("2");
        assertThat(stored("again", "added")).isEqualTo("2");
        assertThat(c.count()).isEqualTo(5);
    }

    @Test
    void aVersionRangeIsReadThroughAnIndexOnceAsked() throws Exception {
        StoredCollection c = store.collection("_system", "indexed", true);
        c.indexVersions();
        c.indexVersions(); // asked again (another run, another node): nothing happens
        String table = JdbcCollectionStore.tableName("_system", "indexed");
        boolean found = false;
        try (java.sql.Connection connection = db.dataSource().getConnection()) {
            String t = table; // created quoted: its case is kept on every database
            try (java.sql.ResultSet rs = connection.getMetaData().getIndexInfo(connection.getCatalog(), null, t, false, false)) {
                while (rs.next()) {
                    found |= (table + "_ver").equalsIgnoreCase(rs.getString("INDEX_NAME"));
                }
            }
        }
        assertThat(found).as("index " + table + "_ver").isTrue();
    }
}
