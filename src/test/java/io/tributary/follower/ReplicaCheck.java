package io.tributary.follower;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.JdbcCollectionStore;
import io.tributary.json.Json;
import io.tributary.log.ChangeLog;
import io.tributary.log.LogEntry;
import io.tributary.log.LogPage;
import io.tributary.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a follower test compares: a collection's rows as stored (key, version, document) on each node, read
 * from its table, and the two nodes' change logs: the follower's log must be the primary's in the primary's
 * order, each of its entries matched to a later primary entry than the one before (so nothing applied out of
 * order or twice), with the last entry of every key the same on both.
 */
final class ReplicaCheck {

    private ReplicaCheck() {
    }

    /** key -> "version|document" of a collection of a database, read from its table; empty if it has none. */
    static Map<String, String> rows(TestDatabase db, String database, String collection) {
        String table = JdbcCollectionStore.tableName(database, collection);
        if (db.count("SELECT COUNT(*) FROM tributary_collections WHERE database_name = ? AND collection_name = ?",
                database, collection) == 0) {
            return Map.of();
        }
        var d = db.dialect();
        Map<String, String> rows = new TreeMap<>();
        for (Map<String, Object> r : db.query("SELECT " + d.quote("_key") + " AS k, " + d.quote("_version") + " AS v, "
                + d.quote("doc") + " AS d FROM " + d.quote(table))) {
            Object v = r.get("v");
            rows.put(String.valueOf(r.get("k")), (v == null ? "null" : new BigDecimal(v.toString()).toBigInteger().toString())
                    + "|" + tree(String.valueOf(r.get("d"))));
        }
        return rows;
    }

    /** The first 10 keys whose rows differ, each with both sides' row ("missing" where there is none). */
    static List<String> differences(Map<String, String> primary, Map<String, String> follower) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(primary.keySet());
        keys.addAll(follower.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(primary.get(k), follower.get(k))).limit(10)
                .map(k -> k + ": primary " + primary.getOrDefault(k, "missing") + ", follower " + follower.getOrDefault(k, "missing"))
                .toList();
    }

    static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Every entry of a database's log after {@code from}, in tick order. */
    static List<LogEntry> log(ChangeLog log, String database, long from) {
        List<LogEntry> all = new ArrayList<>();
        long after = from;
        while (true) {
            LogPage page = log.read(database, after, 10_000, Duration.ZERO);
            all.addAll(page.entries());
            if (page.entries().isEmpty()) {
                return all;
            }
            after = page.lastIncluded();
        }
    }

    /** Every entry of a node's log for a database, read over HTTP as a follower reads it. */
    static List<LogEntry> log(io.tributary.central.CentralClient node, String database) {
        List<LogEntry> all = new ArrayList<>();
        long after = 0;
        while (true) {
            var r = node.get("/_db/" + database + "/_api/tributary/log?from=" + after + "&limit=10000");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode page = r.json();
            page.path("entries").forEach(e -> all.add(PrimaryLog.entry(e)));
            if (page.path("entries").isEmpty()) {
                return all;
            }
            after = page.path("lastIncluded").asLong();
        }
    }

    private static boolean same(LogEntry a, LogEntry b) {
        return a.collection().equals(b.collection()) && a.key().equals(b.key()) && a.op().equals(b.op())
                && String.valueOf(a.version()).equals(String.valueOf(b.version()))
                && (a.json() == null ? b.json() == null : b.json() != null && tree(a.json()).equals(tree(b.json())));
    }

    /**
     * The follower's entries, in its order, each matched to a primary entry after the previous match; a key's
     * last entry the same on both. Returns the matched primary ticks (strictly increasing by construction).
     */
    static List<Long> assertFollowsInOrder(List<LogEntry> primary, List<LogEntry> follower) {
        List<Long> matched = new ArrayList<>();
        int p = 0;
        for (LogEntry f : follower) {
            while (p < primary.size() && !same(primary.get(p), f)) {
                p++;
            }
            assertThat(p).as("follower log entry %s/%s %s version %s (follower tick %d) has no primary entry after tick %s",
                    f.collection(), f.key(), f.op(), f.version(), f.tick(), matched.isEmpty() ? "0" : matched.get(matched.size() - 1))
                    .isLessThan(primary.size());
            matched.add(primary.get(p).tick());
            p++;
        }
        Map<String, LogEntry> lastPrimary = new TreeMap<>();
        primary.forEach(e -> lastPrimary.put(e.collection() + "/" + e.key(), e));
        Map<String, LogEntry> lastFollower = new TreeMap<>();
        follower.forEach(e -> lastFollower.put(e.collection() + "/" + e.key(), e));
        assertThat(lastFollower.keySet()).isEqualTo(lastPrimary.keySet());
        lastPrimary.forEach((k, e) -> assertThat(same(e, lastFollower.get(k))).as("last entry of %s", k).isTrue());
        return matched;
    }
}
