package io.tributary.follower;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.FollowerPosition;
import io.tributary.json.Json;
import io.tributary.log.LogEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One followed database: its parameters, the handshake with its primary, and what status and metrics show
 * (applied tick, the primary's last tick, lag, state, last error). The route template drives it step by
 * step; its position lives in the store ({@code tributary_follower}), so a restart continues from there.
 */
final class Follower {

    enum State {
        STARTING("starting"), INITIAL_SYNC("initial-sync"), FOLLOWING("following"), IN_SYNC("in-sync"), FAILING("failing");

        final String shown;

        State(String shown) {
            this.shown = shown;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    /** Beyond a long poll's wait, how long without an answer before an in-sync follower counts as lagging. */
    private static final Duration CONTACT_GRACE = Duration.ofSeconds(5);

    final FollowerSpec spec;
    private final CollectionStore store;
    private final PrimaryLog primary;

    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile String primaryServerId;
    /** The primary's last tick taken before an initial sync: where tailing starts once it completed. */
    private volatile long syncTick = -1;
    private volatile long applied = -1;
    private volatile long primaryLastTick = -1;
    private volatile Instant lastContact;
    /** When this follower last had applied everything the primary had (this node's clock). */
    private volatile Instant caughtUpAt;
    /** The primary's commit time of the last entry applied here (the primary's clock); null before the first. */
    private volatile Instant appliedTime;
    private final Instant started = Instant.now();
    private volatile boolean resync;

    /** Reads the next page while the current one is applied (behind the primary only); null: no read ahead. */
    private final ExecutorService readAhead;
    /** The page after the one being applied, read ahead: its {@code from} and the answer. */
    private volatile Prefetch prefetched;

    private record Prefetch(long from, Future<PrimaryLog.Page> page) {
    }

    Follower(FollowerSpec spec, CollectionStore store, BooleanSupplier stopping, ExecutorService readAhead) {
        this.spec = spec;
        this.store = store;
        this.primary = new PrimaryLog(spec, stopping);
        this.readAhead = readAhead;
    }

    /**
     * The handshake, once (and again after a failure): the primary's server id must differ from this node's
     * and match the primary this database follows already. When the database has no completed initial sync
     * (first start, a 410, a sync a crash cut short), the primary's last tick is taken FIRST and the
     * collections to sync are returned; tailing then starts at that tick. Null: no sync, tail on.
     */
    List<String> prepare() {
        if (primaryServerId != null && !resync && state != State.FAILING) {
            return null;
        }
        PrimaryLog.State s = primary.state();
        String own = store.changeLog().serverId();
        if (s.serverId().equals(own)) {
            throw new IllegalStateException("a node cannot follow itself: follower '" + spec.name + "' names "
                    + spec.primaryUrl + ", whose server id " + own + " is this node's own; set primaryUrl to another node");
        }
        Optional<FollowerPosition> stored = store.follower(spec.database);
        if (stored.isPresent() && !stored.get().primaryServerId().equals(s.serverId())) {
            throw new IllegalStateException("database '" + spec.database + "' already follows the primary "
                    + stored.get().primaryUrl() + " (server id " + stored.get().primaryServerId() + "); refusing "
                    + spec.primaryUrl + " (server id " + s.serverId() + ") as a second primary for the same data");
        }
        primaryServerId = s.serverId();
        primaryLastTick = s.lastTick();
        lastContact = Instant.now();
        if (stored.isPresent() && stored.get().synced() && !resync) {
            long storedTick = stored.get().appliedTick();
            // restarted with everything the primary has: in sync at once, not after the first long poll
            if (storedTick >= primaryLastTick) {
                caughtUpAt = lastContact;
                state = State.IN_SYNC;
            } else {
                state = State.FOLLOWING;
            }
            applied = storedTick;
            return null;
        }
        store.beginFollowing(spec.database, primaryServerId, spec.primaryUrl);
        syncTick = s.lastTick();
        state = State.INITIAL_SYNC;
        return spec.collections.isEmpty() ? primary.collections() : spec.collections;
    }

    /** The body of a sync job copying one collection from the primary (incremental: only what differs). */
    String syncJob(String collection) {
        ObjectNode source = Json.MAPPER.createObjectNode().put("url", spec.primaryUrl).put("database", spec.database)
                .put("collection", collection);
        if (spec.password != null) {
            source.put("username", spec.username == null ? "root" : spec.username).put("password", spec.password);
        }
        ObjectNode job = Json.MAPPER.createObjectNode();
        job.set("source", source);
        job.putObject("target").put("database", spec.database).put("collection", collection);
        // a follower is a copy of the primary: what the primary lacks goes, however much that is, and the
        // primary's version of a document is written even where the follower holds a higher one
        return job.put("incremental", true).put("mirror", true).put("allowMassDelete", true).toString();
    }

    /** Every sync job succeeded: the log is applied from the tick taken before them. */
    void synced() {
        store.followerSynced(spec.database, primaryServerId, syncTick);
        applied = syncTick;
        resync = false;
        state = State.FOLLOWING;
    }

    /** The next page after the applied tick, long-polled; null after a 410, when the next round syncs again. */
    PrimaryLog.Page fetch() {
        if (applied < 0) {
            applied = store.follower(spec.database).map(FollowerPosition::appliedTick).orElseThrow(() ->
                    new IllegalStateException("database '" + spec.database + "' has no completed initial sync"));
        }
        try {
            long asked = System.nanoTime();
            boolean hit = prefetched != null;
            PrimaryLog.Page page = next(applied);
            // per page, where a slow catch-up spends its time: waiting for the primary here, or applying (below)
            LOG.debug("Follower {}: page after tick {} of {} entries (checkMore {}, read ahead {}) after {} ms", spec.name,
                    applied, page.entries().size(), page.checkMore(), hit, (System.nanoTime() - asked) / 1_000_000);
            if (!page.serverId().equals(primaryServerId)) {
                throw new IllegalStateException(spec.primaryUrl + " now answers with server id " + page.serverId()
                        + ", not the followed primary's " + primaryServerId + ": a different node or database is there");
            }
            if (readAhead != null && page.checkMore() && !page.entries().isEmpty()) {
                // behind the primary: the next page travels while this one is applied. It is read without
                // reporting a position (its from is not applied yet); the read after the last page reports it
                long from = page.lastIncluded();
                prefetched = new Prefetch(from, readAhead.submit(() -> primary.page(from, spec.limit, 0, null)));
            }
            return page;
        } catch (PrimaryLog.Gone gone) {
            store.beginFollowing(spec.database, primaryServerId, spec.primaryUrl);
            resync = true;
            applied = -1;
            state = State.INITIAL_SYNC;
            lastError = gone.getMessage() + "; syncing the collections again";
            return null;
        }
    }

    /** The page after {@code from}: the one read ahead when it starts there, else read now, reporting {@code from}. */
    private PrimaryLog.Page next(long from) {
        Prefetch ahead = prefetched;
        prefetched = null;
        if (ahead != null && ahead.from() == from) {
            try {
                return ahead.page().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the primary's log", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        if (ahead != null) {
            ahead.page().cancel(true); // a failed apply or a resync: read again from the applied tick
        }
        return primary.page(from, spec.limit, spec.waitSeconds, store.changeLog().serverId());
    }

    /** Applies a page in one transaction (the store skips what was applied before); how many entries. */
    int apply(PrimaryLog.Page page) {
        if (page == null) {
            return 0;
        }
        List<LogEntry> followed = page.entries().stream().filter(e -> spec.follows(e.collection())).toList();
        long start = System.nanoTime();
        int count = page.lastIncluded() > applied
                ? store.applyLog(spec.database, primaryServerId, followed, page.lastIncluded()) : 0;
        LOG.debug("Follower {}: applied {} entries up to tick {} in {} ms", spec.name, count, page.lastIncluded(),
                (System.nanoTime() - start) / 1_000_000);
        if (!page.entries().isEmpty() && page.lastIncluded() > applied) {
            Instant written = page.entries().get(page.entries().size() - 1).time();
            appliedTime = written != null ? written : appliedTime;
        }
        long nowApplied = Math.max(applied, page.lastIncluded());
        primaryLastTick = Math.max(page.lastTick(), nowApplied);
        Instant now = Instant.now();
        lastContact = now;
        // the state before the tick: whoever sees the new applied tick sees the state that goes with it
        if (nowApplied >= primaryLastTick) {
            caughtUpAt = now;
            state = State.IN_SYNC;
        } else {
            state = State.FOLLOWING;
        }
        lastError = null;
        applied = nowApplied;
        return count;
    }

    void failed(Throwable e) {
        state = State.FAILING;
        lastError = Followers.reason(e);
    }

    long lagTicks() {
        return applied < 0 || primaryLastTick < 0 ? -1 : Math.max(0, primaryLastTick - applied);
    }

    /**
     * 0 while in sync and the primary answered within the long poll's wait (plus a grace). Otherwise how old
     * this follower's copy is: the seconds since the latest moment whose primary state it holds, that is the
     * later of the primary's commit time of the last entry applied here and the last time it had applied
     * everything the primary had (since its start, if neither).
     */
    double lagSeconds() {
        Instant now = Instant.now();
        Instant contact = lastContact;
        if (state == State.IN_SYNC && contact != null
                && Duration.between(contact, now).compareTo(Duration.ofSeconds(spec.waitSeconds).plus(CONTACT_GRACE)) <= 0) {
            return 0;
        }
        Instant since = caughtUpAt != null ? caughtUpAt : started;
        Instant committed = appliedTime;
        if (committed != null && committed.isAfter(since)) {
            since = committed;
        }
        return Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
    }

    ObjectNode status() {
        // the tick before the state (set in the other order): a new tick comes with its state
        long appliedTick = applied;
        ObjectNode o = Json.MAPPER.createObjectNode().put("name", spec.name).put("primary", spec.primaryUrl)
                .put("database", spec.database);
        if (spec.collections.isEmpty()) {
            o.put("collections", "all");
        } else {
            spec.collections.forEach(o.putArray("collections")::add);
        }
        o.put("primaryServerId", primaryServerId).put("state", state.shown);
        putTick(o, "appliedTick", appliedTick);
        putTick(o, "primaryLastTick", primaryLastTick);
        putTick(o, "lagTicks", lagTicks());
        Instant committed = appliedTime;
        o.put("appliedTime", committed == null ? null : committed.toString());
        o.put("lagSeconds", lagSeconds());
        o.put("lastContact", lastContact == null ? null : lastContact.toString());
        o.put("lastError", lastError);
        return o;
    }

    private static void putTick(ObjectNode o, String field, long tick) {
        if (tick < 0) {
            o.putNull(field);
        } else {
            o.put(field, tick);
        }
    }
}
