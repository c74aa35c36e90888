package io.tributary.follower;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.central.CentralClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients writing a primary at the same time as applications would: imports of 1 to 20 documents (replace,
 * versioned), document updates (PATCH) and deletes, over a small key space per collection so that keys are
 * rewritten and deleted often. Each version is unique (one counter), so every write of a key is told apart.
 */
final class MixedWrites {

    static final List<String> COLLECTIONS = List.of("orders", "people");

    private final CentralClient primary;
    private final long seed;
    private final int keys;
    private final AtomicLong versions;
    private final AtomicLong written = new AtomicLong();

    /** @param firstVersion above every version written before into the same collections (an equal one would conflict) */
    MixedWrites(CentralClient primary, long seed, int keys, long firstVersion) {
        this.primary = primary;
        this.versions = new AtomicLong(firstVersion);
        this.seed = seed;
        this.keys = keys;
    }

    /** {@code clients} clients write about {@code writes} documents in all; returns when all finished. */
    long run(int clients, long writes) throws Exception {
        return start(clients, writes).get();
    }

    /** The writes started in the background; the future ends with the documents written, or the first failure. */
    java.util.concurrent.CompletableFuture<Long> start(int clients, long writes) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return writeAll(clients, writes);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private long writeAll(int clients, long writes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Random random = new Random(seed * 31 + c);
                long share = writes / clients;
                done.add(pool.submit(() -> {
                    long mine = 0;
                    while (mine < share) {
                        mine += once(random);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return written.get();
    }

    /** One write; how many documents it wrote (or tried to). */
    int once(Random random) {
        String collection = COLLECTIONS.get(random.nextInt(COLLECTIONS.size()));
        double what = random.nextDouble();
        if (what < 0.5) {
            int n = 1 + random.nextInt(20);
            StringBuilder body = new StringBuilder("[");
            List<String> used = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = "k" + random.nextInt(keys);
                if (used.contains(key)) {
                    continue;
                }
                used.add(key);
                body.append(body.length() > 1 ? "," : "").append("{\"_key\":\"").append(key).append("\",\"_version\":")
                        .append(versions.incrementAndGet()).append(",\"n\":").append(random.nextInt(1_000_000))
                        .append(",\"text\":\"t").append(random.nextInt()).append("\"}");
            }
            var r = primary.post("/_api/import?collection=" + collection + "&type=array&createCollection=true"
                    + "&onDuplicate=replace&versionAttribute=_version&complete=true", body.append("]").toString());
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            written.addAndGet(used.size());
            return used.size();
        }
        String key = "k" + random.nextInt(keys);
        if (what < 0.75) {
            var r = primary.send("PATCH", "/_api/document/" + collection + "/" + key + "?versionAttribute=_version",
                    "{\"_version\":" + versions.incrementAndGet() + ",\"patched\":" + random.nextInt(1000) + "}");
            assertThat(r.status()).as(r.body()).isIn(202, 404);
        } else {
            var r = primary.method("DELETE", "/_api/document/" + collection + "/" + key);
            assertThat(r.status()).as(r.body()).isIn(202, 404);
        }
        written.incrementAndGet();
        return 1;
    }
}
