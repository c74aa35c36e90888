package io.tributary.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import io.tributary.log.LogEntry;
import io.tributary.sql.Dialect;
import io.tributary.testing.TestDatabase;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A follower's side of replication on each database: a page of a primary's log applied in one transaction
 * with its applied tick (documents and versions exactly as sent, no version rule), a page applied twice
 * changes nothing, and the follower row refuses a second primary and pages before the initial sync.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogApplyContract {

    abstract Dialect dialect();

    private static final String PRIMARY = "primary-server-id";
    private TestDatabase db;
    private CollectionStore store;

    @BeforeAll
    void setUp() {
        db = TestDatabase.create(dialect(), "logapply");
        store = CollectionStore.onJdbc(db.dataSource());
    }

    @AfterAll
    void tearDown() {
        db.close();
    }

    private static LogEntry put(long tick, String collection, String key, String version, String value) {
        ObjectNode doc = Json.MAPPER.createObjectNode().put("_key", key).put("value", value);
        if (version != null) {
            doc.put("_version", new BigInteger(version));
        }
        return new LogEntry(tick, collection, key, version == null ? null : new BigInteger(version), LogEntry.PUT, doc.toString(), null);
    }

    private static LogEntry delete(long tick, String collection, String key) {
        return new LogEntry(tick, collection, key, null, LogEntry.DELETE, null, null);
    }

    /** key -> "version|value" of a collection, read from its table (the version column as stored). */
    private Map<String, String> rows(String database, String collection) {
        String table = JdbcCollectionStore.tableName(database, collection);
        return db.query("SELECT " + dialect().quote("_key") + " AS k, " + dialect().quote("_version") + " AS v, "
                        + dialect().quote("doc") + " AS d FROM " + dialect().quote(table)).stream()
                .collect(Collectors.toMap(r -> String.valueOf(r.get("k")), r -> {
                    Object v = r.get("v");
                    String version = v == null ? "null" : new java.math.BigDecimal(v.toString()).toBigInteger().toString();
                    try {
                        return version + "|" + Json.MAPPER.readTree(String.valueOf(r.get("d"))).path("value").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    @Test
    void aPageIsAppliedExactlyWithItsTickAndOnlyOnce() {
        String database = "apply1";
        store.beginFollowing(database, PRIMARY, "http://primary:8529");
        store.followerSynced(database, PRIMARY, 10);
        // the follower holds a newer version than the primary sends: the primary is the truth all the same
        store.applyLog(database, PRIMARY, List.of(put(11, "c", "a", "50", "a-newer")), 11);
        String big = "123456789012345678901234567890"; // beyond 2^63: kept exactly
        int applied = store.applyLog(database, PRIMARY, List.of(
                put(12, "c", "a", "7", "a-primary"),
                put(13, "c", "b", big, "b1"),
                put(14, "c", "c", null, "c1"),
                put(15, "c", "b", "8", "b2"),          // the same key twice in a page: the later entry wins
                put(16, "other", "x", "1", "x1"),      // a collection the follower lacks is created
                delete(17, "c", "c"),
                delete(18, "c", "never-there")), 20);
        assertThat(applied).isEqualTo(5); // b's and c's first entries are superseded within the page
        // this node's own log holds the page's writes in the primary's order, each key once at its last entry
        assertThat(store.changeLog().read(database, 1, 100, java.time.Duration.ZERO).entries().stream()
                .filter(e -> e.tick() > 1).map(e -> e.collection() + "/" + e.key() + "@" + e.version() + ":" + e.op()))
                .containsExactly("c/a@7:put", "c/b@8:put", "other/x@1:put", "c/c@null:delete", "c/never-there@null:delete");
        assertThat(rows(database, "c")).containsExactlyInAnyOrderEntriesOf(Map.of("a", "7|a-primary", "b", "8|b2"));
        assertThat(rows(database, "other")).containsExactlyInAnyOrderEntriesOf(Map.of("x", "1|x1"));
        assertThat(store.follower(database).orElseThrow().appliedTick()).isEqualTo(20);

        // the same page again (fetched twice after a crash), and one overlapping it: only ticks past 20 apply
        assertThat(store.applyLog(database, PRIMARY, List.of(put(13, "c", "b", big, "b1")), 20)).isZero();
        assertThat(store.applyLog(database, PRIMARY, List.of(put(19, "c", "a", "1", "stale"), put(21, "c", "z", "2", "z1")), 21))
                .isEqualTo(1);
        assertThat(rows(database, "c")).containsExactlyInAnyOrderEntriesOf(Map.of("a", "7|a-primary", "b", "8|b2", "z", "2|z1"));
        assertThat(store.follower(database).orElseThrow().appliedTick()).isEqualTo(21);
        // an empty page moves the applied tick only
        assertThat(store.applyLog(database, PRIMARY, List.of(), 30)).isZero();
        assertThat(store.follower(database).orElseThrow().appliedTick()).isEqualTo(30);
    }

    @Test
    void aFailedPageLeavesNeitherDocumentsNorTick() {
        String database = "apply2";
        store.beginFollowing(database, PRIMARY, "http://primary:8529");
        store.followerSynced(database, PRIMARY, 0);
        store.applyLog(database, PRIMARY, List.of(put(1, "c", "a", "1", "a1")), 1);
        // a version wider than the version column (38 digits): the second write fails inside the transaction
        assertThatThrownBy(() -> store.applyLog(database, PRIMARY, List.of(put(2, "c", "a", "2", "a2"),
                put(3, "c", "b", "1" + "0".repeat(39), "b1")), 3))
                .isInstanceOf(IllegalStateException.class);
        assertThat(rows(database, "c")).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1|a1"));
        assertThat(store.follower(database).orElseThrow().appliedTick()).isEqualTo(1);
    }

    @Test
    void oneDatabaseFollowsOnePrimaryAndNothingAppliesBeforeTheInitialSync() {
        String database = "apply3";
        store.beginFollowing(database, PRIMARY, "http://primary:8529");
        assertThatThrownBy(() -> store.applyLog(database, PRIMARY, List.of(), 5))
                .hasMessageContaining("has not completed its initial sync from http://primary:8529");
        assertThatThrownBy(() -> store.beginFollowing(database, "another-server", "http://other:8529"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("database 'apply3' already follows the primary http://primary:8529 (server id "
                        + PRIMARY + "); refusing http://other:8529 (server id another-server) as a second primary");
        store.followerSynced(database, PRIMARY, 4);
        assertThatThrownBy(() -> store.applyLog(database, "another-server", List.of(), 5)).isInstanceOf(ApiException.class);
        // a new initial sync (after a 410) clears the applied tick until it completes
        store.beginFollowing(database, PRIMARY, "http://primary:8529");
        assertThat(store.follower(database).orElseThrow().appliedTick()).isNull();
        assertThat(store.unfollow(database)).isTrue();
        assertThat(store.follower(database)).isEmpty();
    }

}
