package io.tributary.follower;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.central.CollectionStore;
import io.tributary.central.FollowerPosition;
import io.tributary.http.ApiException;
import io.tributary.http.HiddenUserInfo;
import io.tributary.http.JsonResponse;
import io.tributary.http.RequestPath;
import io.tributary.json.Json;
import io.tributary.node.PeerNodes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The followers of this node, one per {@code tributary-follower} route (routes/follower-template.camel.yaml),
 * which calls the steps here by the follower's name: handshake and initial sync, fetch a page of the
 * primary's log, apply it. Also what the rest of the node asks about following: the status API
 * ({@code GET /api/followers}), lag metrics, and whether a database is a read-only follower.
 */
public class Followers implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(Followers.class);
    /** The logger of a failed round's WARN line (the name the template's log step had). */
    private static final Logger ROUNDS = LoggerFactory.getLogger("io.tributary.follower");
    /** The header set when a round runs an initial sync before it tails the log. */
    static final String SYNC_TICK = "tributaryFollowerInitialSync";

    private CollectionStore store;
    private CamelContext camelContext;
    private PeerNodes peers = new PeerNodes("");
    private boolean writable;
    private final Map<String, Follower> byName = new ConcurrentHashMap<>();
    /** The route id that holds each follower name: a second route with the name is refused. */
    private final Map<String, String> routeOfName = new ConcurrentHashMap<>();
    /** Follower routes whose parameters were refused, by route id. */
    private final Map<String, RefusedFollower> refused = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> readAheads = new ConcurrentHashMap<>();
    /** Databases a follower row in the store marks as followed, by primary URL; read once. */
    private volatile Map<String, String> storedFollowed;
    private volatile boolean stopping;

    public void setStore(CollectionStore store) {
        this.store = store;
    }

    /** {@code tributary.sync.peers}: a follower sends its credentials only to a configured node, as sync does. */
    public void setPeers(String peers) {
        this.peers = new PeerNodes(peers);
    }

    /** {@code tributary.follower.writable}: accept imports and document writes into followed databases. */
    public void setWritable(boolean writable) {
        this.writable = writable;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        // a held long poll ends as soon as the node stops, not when its wait expires
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                stopping = true;
            }
        });
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    // ---- the route's steps ------------------------------------------------------------------------

    /**
     * Registers the follower described by the parameters of route {@code routeId} and shakes hands with its
     * primary. The body becomes the sync job bodies of an initial sync, one per collection, and the header
     * {@link #SYNC_TICK} is set; without an initial sync to run, the body is empty and the header unset.
     * Parameters refused make the route a {@link RefusedFollower}, listed and checked, until they pass.
     */
    public List<String> prepare(String routeId, Map<String, ?> parameters, Exchange exchange) {
        Follower follower;
        try {
            follower = register(routeId, FollowerSpec.from(parameters));
        } catch (RuntimeException e) {
            refuse(routeId, parameters, e);
            throw e;
        }
        List<String> collections = follower.prepare();
        if (collections == null) {
            return List.of();
        }
        exchange.getMessage().setHeader(SYNC_TICK, true);
        LOG.info("Follower {}: initial sync of {} collection(s) of database {} from {}", follower.spec.name,
                collections.size(), follower.spec.database, follower.spec.primaryUrl);
        return collections.stream().map(follower::syncJob).toList();
    }

    /** Every sync job of the initial sync succeeded. */
    public void synced(String name) {
        Follower f = follower(name);
        f.synced();
        LOG.info("Follower {}: initial sync done, following {} from tick {}", name, f.spec.primaryUrl,
                f.status().path("appliedTick").asText());
    }

    /** The next page of the primary's log (null after a 410: the next round syncs again). */
    public Object fetch(String name) {
        return follower(name).fetch();
    }

    /** Applies the fetched page in one transaction; the body becomes the number of entries applied. */
    public int apply(String name, Exchange exchange) {
        Object page = exchange.getMessage().getBody();
        return follower(name).apply(page instanceof PrimaryLog.Page p ? p : null);
    }

    /**
     * Records a failed round of route {@code routeId}: state failing with its reason (refused parameters were
     * recorded by {@link #prepare}), and the round's WARN line, where no URL shows a password.
     */
    public void failed(String routeId, Map<String, ?> parameters, Throwable e) {
        String name = String.valueOf(parameters.get("name"));
        Follower f = byName.get(name);
        if (f != null && e != null && routeId.equals(routeOfName.get(name)) && !refused.containsKey(routeId)) {
            f.failed(e);
        }
        ROUNDS.warn("follower {} of {} failed: {}", ApiException.printable(name, 200),
                ApiException.printable(HiddenUserInfo.hide(String.valueOf(parameters.get("primaryUrl"))), 200), reason(e));
    }

    /** A failure's text as the log, the status and health show it: no URL with its password. */
    static String reason(Throwable e) {
        return e == null ? "unknown" : HiddenUserInfo.hide(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private Follower register(String routeId, FollowerSpec spec) {
        synchronized (byName) {
            // the route loaded first holds a name, whichever round runs first
            String holder = FollowerRoutes.firstNamed(camelContext, spec.name).orElse(routeOfName.get(spec.name));
            if (holder != null && !holder.equals(routeId)) {
                throw new IllegalStateException("follower '" + spec.name + "' of " + FollowerRoutes.describe(camelContext, routeId)
                        + " refused: the name is taken by " + FollowerRoutes.describe(camelContext, holder)
                        + " (give each follower its own name)");
            }
            Follower existing = byName.get(spec.name);
            if (existing != null && existing.spec.sameData(spec)) {
                forgetRefused(routeId);
                return existing;
            }
            // the stored row decides first, so the newcomer hears the same reason whichever round ran first
            refuseNewcomer(routeId, spec);
            for (Follower other : byName.values()) {
                if (!other.spec.name.equals(spec.name) && other.spec.database.equals(spec.database)) {
                    throw new IllegalStateException("follower '" + spec.name + "' refused: database '" + spec.database
                            + "' is followed by follower '" + other.spec.name + "' (" + FollowerRoutes.describe(camelContext,
                            routeOfName.get(other.spec.name)) + ") already (one primary per database)");
                }
            }
            peers.check("follower " + spec.name + " primaryUrl", spec.primaryUrl);
            Follower created = new Follower(spec, store, () -> stopping, readAhead(spec.name));
            Follower replaced = byName.put(spec.name, created);
            routeOfName.put(spec.name, routeId);
            forgetRefused(routeId);
            registerMetrics(created);
            registerHealth(created, replaced);
            return created;
        }
    }

    /**
     * Whichever round runs first: when the database's row in tributary_follower names another primary URL,
     * and another follower route of this node declares that URL for the database, that route keeps the
     * database and this one is refused. (Routes naming the row's URL both: the first to run holds it.)
     */
    private void refuseNewcomer(String routeId, FollowerSpec spec) {
        Optional<FollowerPosition> row = store.follower(spec.database);
        if (row.isEmpty() || FollowerRoutes.sameUrl(row.get().primaryUrl(), spec.primaryUrl)) {
            return;
        }
        for (RouteDefinition route : FollowerRoutes.of(camelContext)) {
            if (!route.getRouteId().equals(routeId) && spec.database.equals(FollowerRoutes.database(camelContext, route))
                    && FollowerRoutes.sameUrl(row.get().primaryUrl(), FollowerRoutes.primaryUrl(camelContext, route))) {
                throw new IllegalStateException("follower '" + spec.name + "' (" + FollowerRoutes.describe(camelContext, routeId)
                        + ") refused: database '" + spec.database + "' follows " + row.get().primaryUrl() + " (server id "
                        + row.get().primaryServerId() + "), which " + FollowerRoutes.describe(camelContext, route.getRouteId())
                        + " declares (one primary per database)");
            }
        }
    }

    /** Route {@code routeId} as a refused follower: listed, with a health check saying why. */
    private void refuse(String routeId, Map<String, ?> parameters, RuntimeException e) {
        String name = String.valueOf(parameters.get("name"));
        synchronized (byName) {
            RefusedFollower before = refused.get(routeId);
            String holder = FollowerRoutes.firstNamed(camelContext, name).orElse(routeOfName.get(name));
            // a second route with the name has a check of its own, beside the holder's
            String healthId = before != null ? before.healthId()
                    : FollowerHealth.id(holder != null && !holder.equals(routeId) ? name + "@" + routeId : name);
            RefusedFollower now = RefusedFollower.of(routeId, parameters, reason(e), healthId);
            refused.put(routeId, now);
            HealthCheckRegistry registry = camelContext == null ? null : HealthCheckRegistry.get(camelContext);
            if (before == null && registry != null) {
                registry.register(new FollowerHealth(healthId, () -> refused.getOrDefault(routeId, now).status()));
            }
        }
    }

    private void forgetRefused(String routeId) {
        RefusedFollower gone = refused.remove(routeId);
        HealthCheckRegistry registry = camelContext == null ? null : HealthCheckRegistry.get(camelContext);
        if (gone != null && registry != null) {
            registry.getCheck(gone.healthId()).ifPresent(registry::unregister);
        }
    }

    /** One thread per follower name, reading its next page while the current one is applied. */
    private ExecutorService readAhead(String name) {
        return camelContext == null ? null : readAheads.computeIfAbsent(name, n -> camelContext.getExecutorServiceManager()
                .newSingleThreadExecutor(this, "tributary-follower-" + n + "-read-ahead"));
    }

    private Follower follower(String name) {
        Follower f = byName.get(name);
        if (f == null) {
            throw new IllegalStateException("no follower named '" + name + "' has started");
        }
        return f;
    }

    // ---- status, metrics ------------------------------------------------------------------------

    /** {@code GET /api/followers}: every follower of this node, and followed databases without a running route. */
    public void list(Exchange exchange) {
        JsonResponse.send(exchange.getMessage(), 200, statuses());
    }

    ObjectNode statuses() {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("followers");
        byName.values().stream().sorted((a, b) -> a.spec.name.compareTo(b.spec.name)).forEach(f -> list.add(f.status()));
        refused.values().stream().sorted((a, b) -> a.routeId().compareTo(b.routeId())).forEach(r -> list.add(r.status()));
        for (FollowerPosition p : store.followers()) {
            if (byName.values().stream().noneMatch(f -> f.spec.database.equals(p.database()))) {
                ObjectNode o = list.addObject().putNull("name").put("primary", p.primaryUrl()).put("database", p.database())
                        .put("primaryServerId", p.primaryServerId()).put("state", "not-running");
                if (p.appliedTick() == null) {
                    o.putNull("appliedTick");
                } else {
                    o.put("appliedTick", p.appliedTick());
                }
            }
        }
        return answer;
    }

    /** {@code GET /api/followers/{name}}: 404 for an unknown name. */
    public void one(Exchange exchange) {
        String name = RequestPath.parameter(exchange.getMessage(), "name");
        Follower f = byName.get(name);
        ObjectNode status = f != null ? f.status() : refused.values().stream().filter(r -> r.name().equals(name)).findFirst()
                .map(RefusedFollower::status).orElseThrow(() -> new ApiException(404, ApiException.NOT_FOUND,
                        "no follower named '" + ApiException.printable(name) + "'"));
        JsonResponse.send(exchange.getMessage(), 200, status);
    }

    /** The follower's health check, in place of the one of a follower it replaces (its parameters changed). */
    private void registerHealth(Follower f, Follower replaced) {
        HealthCheckRegistry registry = camelContext == null ? null : HealthCheckRegistry.get(camelContext);
        if (registry == null) {
            return;
        }
        if (replaced != null) {
            registry.getCheck(FollowerHealth.id(replaced.spec.name)).ifPresent(registry::unregister);
        }
        registry.register(new FollowerHealth(FollowerHealth.id(f.spec.name), f::status));
    }

    /** {@code tributary_follower_lag_ticks} and {@code tributary_follower_lag_seconds}, tagged by follower. */
    private void registerMetrics(Follower f) {
        MeterRegistry registry = camelContext == null ? null : camelContext.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return;
        }
        registry.find("tributary.follower.lag.ticks").tag("follower", f.spec.name).meters().forEach(registry::remove);
        registry.find("tributary.follower.lag.seconds").tag("follower", f.spec.name).meters().forEach(registry::remove);
        Gauge.builder("tributary.follower.lag.ticks", f, Follower::lagTicks)
                .description("Primary log entries not yet applied by this follower (-1 before the first contact)")
                .tag("follower", f.spec.name).tag("database", f.spec.database).register(registry);
        Gauge.builder("tributary.follower.lag.seconds", f, Follower::lagSeconds)
                .description("Seconds since this follower last had applied everything its primary had")
                .tag("follower", f.spec.name).tag("database", f.spec.database).register(registry);
    }

    // ---- read-only followed databases --------------------------------------------------------------

    /**
     * A step before imports and document writes: 403 (errorNum 1004) naming the primary when the request's
     * database is followed, unless {@code tributary.follower.writable=true}. A follower's own writes (applied
     * log pages, its initial sync) go to the store directly and are not refused.
     */
    public void refuseWrites(Exchange exchange) {
        if (writable) {
            return;
        }
        String database = RequestPath.database(exchange.getMessage());
        primaryOf(database).ifPresent(primary -> {
            throw new ApiException(403, ApiException.READ_ONLY, "database '" + database + "' is a read-only follower of "
                    + primary + ": write to the primary (or set tributary.follower.writable=true on this node)");
        });
    }

    private Optional<String> primaryOf(String database) {
        for (Follower f : byName.values()) {
            if (f.spec.database.equals(database)) {
                return Optional.of(f.spec.primaryUrl);
            }
        }
        Optional<String> configured = configuredPrimary(database);
        if (configured.isPresent()) {
            return configured;
        }
        Map<String, String> stored = storedFollowed;
        if (stored == null) {
            Map<String, String> read = new ConcurrentHashMap<>();
            store.followers().forEach(p -> read.put(p.database(), p.primaryUrl()));
            storedFollowed = stored = read;
        }
        return Optional.ofNullable(stored.get(database));
    }

    /**
     * The primary of {@code database} as a {@code tributary-follower} route declares it, known from the moment
     * the route is defined, before its first round registers the follower: so a followed database refuses
     * writes from start-up, not only once its follower has run.
     */
    private Optional<String> configuredPrimary(String database) {
        for (RouteDefinition route : FollowerRoutes.of(camelContext)) {
            if (database.equals(FollowerRoutes.database(camelContext, route))) {
                return Optional.of(HiddenUserInfo.hide(FollowerRoutes.primaryUrl(camelContext, route)));
            }
        }
        return Optional.empty();
    }
}
