package io.tributary.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.OnCamelContextStarted;
import org.apache.camel.spi.OnCamelContextStarting;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the {@code templatedRoute} entries of the source template in the route files into running
 * sources, one at a time, at start-up and on live reload.
 *
 * <p>Camel would instantiate them itself, but all or nothing: one wrong file stops the whole process
 * at start-up, and its route reload ({@code RouteWatcherReloadStrategy}, via
 * {@code RouteBuilder.updateRoutesToCamelContext}) never re-instantiates a templated route, so an added,
 * edited or deleted source file would change nothing. So, as each route file is read (Camel's
 * {@link RouteBuilderLifecycleStrategy#afterConfigure} hook, at start-up and on every reload), this takes
 * the source entries out of it and applies them itself with Camel's route template API:
 * <ul>
 *   <li>a new entry is checked (parameter names against the template's declaration, required values,
 *       a unique sourceId) and started; one that fails the check or fails to start is refused alone,
 *       with an ERROR line and a DOWN health check naming the file, the route and why;</li>
 *   <li>an entry whose parameters changed is stopped (after its current run, as any route stop) and
 *       started again from the template with the new ones; its watermark is in its status table;</li>
 *   <li>an entry gone from its file, or a deleted file (seen through the reload strategy's file
 *       events), stops its source and removes the route; its status row stays.</li>
 * </ul>
 * A deleted file also takes its plain routes with it (Camel's reload leaves them running); routes of
 * other files are not touched. A duplicate sourceId at start-up still refuses the start.
 */
public final class SourceFiles implements RouteBuilderLifecycleStrategy, OnCamelContextStarting, OnCamelContextStarted {

    static final String TEMPLATE = SourceTemplate.ID;
    private static final Logger LOG = LoggerFactory.getLogger(SourceFiles.class);

    /** Read before the context starts; applied when it does. */
    private final Map<String, List<SourceEntry>> pending = new LinkedHashMap<>();
    /** What each entry (by {@link SourceEntry#key() file and route}) currently is: a running source or a refused one. */
    private final Map<String, Applied> applied = new LinkedHashMap<>();
    private CamelContext context;
    /** From the context's start on, a file is applied as soon as it is read. */
    private boolean live;

    /** One entry as applied: running, or refused with its health check. */
    private record Applied(SourceEntry entry, String sourceId, RefusedSource refused) {
    }

    @Override
    public void afterConfigure(RouteBuilder builder) {
        List<TemplatedRouteDefinition> all = builder.getTemplatedRouteCollection().getTemplatedRoutes();
        List<SourceEntry> entries = all.stream().filter(t -> TEMPLATE.equals(t.getRouteTemplateRef()))
                .map(t -> SourceEntry.of(builder.getResource(), t)).toList();
        all.removeIf(t -> TEMPLATE.equals(t.getRouteTemplateRef()));
        String fileKey = SourceEntry.fileKey(builder.getResource());
        synchronized (this) {
            if (live) {
                apply(builder.getContext(), fileKey, entries);
            } else if (!entries.isEmpty()) {
                pending.computeIfAbsent(fileKey, k -> new ArrayList<>()).addAll(entries);
            }
        }
    }

    /**
     * The sources are made while the context starts, each on its own (a wrong one fails alone), and
     * then start together with the other routes. A sourceId twice refuses the start: which of the two
     * is meant is not for us to guess.
     */
    @Override
    public synchronized void onContextStarting(CamelContext context) {
        this.context = context;
        requireUniqueIds(context);
        live = true;
        pending.forEach((fileKey, entries) -> apply(context, fileKey, entries));
        pending.clear();
    }

    /**
     * A sourceId twice refuses the start. Tributary's main checks it before the context starts, so a refusal
     * is its one "Not started" line (thrown while the context starts, Camel logs it twice more, with a stack
     * trace); without Tributary's main (Tributary as a library) it runs when the context starts.
     */
    public synchronized void requireUniqueIds(CamelContext context) {
        Map<SourceEntry, String> seen = new LinkedHashMap<>();
        for (SourceEntry entry : pending.values().stream().flatMap(List::stream).toList()) {
            String sourceId = entry.sourceId(context);
            Optional<String> conflict = UniqueSourceIds.conflict(entry, sourceId, seen);
            if (conflict.isPresent()) {
                throw new IllegalStateException(conflict.get());
            }
            seen.put(entry, sourceId);
        }
    }

    /**
     * Camel's reload does nothing for a deleted file: its sources and its other routes stop here. An
     * empty file (a save in progress: many editors and {@code cat > file} truncate first) gets one WARN
     * line instead of Camel's stack trace; any other file, readable or not, goes to Camel as it is.
     */
    @Override
    public void onContextStarted(CamelContext context) {
        RouteWatcherReloadStrategy reloader = context.hasService(RouteWatcherReloadStrategy.class);
        if (reloader != null && reloader.getResourceReload() != null) {
            ResourceReload camel = reloader.getResourceReload();
            reloader.setResourceReload((name, resource) -> {
                Path file = Path.of(name);
                if (!Files.exists(file)) {
                    fileDeleted(SourceEntry.fileKey(resource));
                } else if (Files.size(file) == 0) {
                    LOG.warn("{} is empty: nothing changed, its routes run on as before (delete the file to remove them)", name);
                    return;
                }
                camel.onReload(name, resource);
            });
        }
    }

    private synchronized void fileDeleted(String fileKey) {
        apply(context, fileKey, List.of());
        Model model = model();
        for (RouteDefinition route : List.copyOf(model.getRouteDefinitions())) {
            // a source made from the template file is its own file's, not the template's
            boolean source = applied.values().stream().anyMatch(a -> Objects.equals(route.getRouteId(), a.entry().routeId()));
            if (!source && fileKey.equals(SourceEntry.fileKey(route.getResource()))) {
                removeRoute(model, route.getRouteId());
                LOG.info("route {} stopped and removed: {} was deleted", route.getRouteId(), SourceEntry.file(route.getResource()));
            }
        }
    }

    /** Makes the running sources of one file what the file now says. */
    private void apply(CamelContext context, String fileKey, List<SourceEntry> entries) {
        this.context = context;
        List<String> keys = entries.stream().map(SourceEntry::key).toList();
        for (Applied old : List.copyOf(applied.values())) {
            if (old.entry().fileKey().equals(fileKey) && !keys.contains(old.entry().key())) {
                remove(old);
                if (old.refused() == null) {
                    LOG.info("source {} stopped and removed: it is no longer in {} (its status row is kept)",
                            old.entry().routeId(), old.entry().file());
                }
            }
        }
        for (SourceEntry entry : entries) {
            Applied old = applied.get(entry.key());
            if (old != null && old.refused() == null && old.entry().parameters().equals(entry.parameters())
                    && context.getRoute(entry.routeId()) != null) {
                continue; // unchanged: the file was saved again or another entry of it changed
            }
            if (old != null) {
                remove(old);
                if (old.refused() == null) {
                    LOG.info("source {}: {} changed; stopped after its run, starting with the new parameters",
                            entry.routeId(), entry.file());
                }
            }
            start(entry, old);
        }
    }

    private void start(SourceEntry entry, Applied old) {
        String sourceId = entry.sourceId(context);
        Optional<String> problem = check(entry, sourceId);
        if (problem.isPresent()) {
            refuse(entry, sourceId, problem.get(), old);
            return;
        }
        Model model = model();
        if (model.getRouteDefinition(entry.routeId()) != null || context.getRoute(entry.routeId()) != null) {
            refuse(entry, sourceId, "route id '" + entry.routeId() + "' is already taken by another route", old);
            return;
        }
        try {
            model.addRouteFromTemplatedRoute(entry.definition());
            if (!context.isStarted()) {
                // while the context starts, Camel makes the route here and starts it with all the others
                ((ModelCamelContext) context).startRouteDefinitions(List.of(model.getRouteDefinition(entry.routeId())));
            }
        } catch (Exception e) {
            removeRoute(model, entry.routeId());
            refuse(entry, sourceId, why(e), old);
            return;
        }
        // after the route is made, so that a wrong parameter (an invalid sourceId) is the reason given
        Optional<String> renamed = routeIdProblem(entry, sourceId);
        if (renamed.isPresent()) {
            removeRoute(model, entry.routeId());
            refuse(entry, sourceId, renamed.get(), old);
            return;
        }
        applied.put(entry.key(), new Applied(entry, sourceId, null));
        LOG.info("source {} {} from {}", entry.routeId(), context.isStarted() ? "started" : "created", entry.file());
    }

    private Optional<String> check(SourceEntry entry, String sourceId) {
        Optional<Applied> owner = applied.values().stream().filter(a -> a.refused() == null
                && Objects.equals(a.entry().routeId(), entry.routeId()) && !a.entry().fileKey().equals(entry.fileKey())).findFirst();
        if (owner.isPresent()) {
            return Optional.of("route id '" + entry.routeId() + "' is already used by " + owner.get().entry().file());
        }
        RouteTemplateDefinition template = model().getRouteTemplateDefinition(TEMPLATE);
        if (template == null) {
            return Optional.of("the route template " + TEMPLATE + " is not loaded (routes/change-source-template.camel.yaml)");
        }
        Map<SourceEntry, String> running = new LinkedHashMap<>();
        applied.values().stream().filter(a -> a.refused() == null).forEach(a -> running.put(a.entry(), a.sourceId()));
        return new SourceParameters(context, template).problem(entry.parameters())
                .or(() -> UniqueSourceIds.conflict(entry, sourceId, running));
    }

    /** The status API, run, pause, verify and the health exclusions find a source's route by its sourceId. */
    private static Optional<String> routeIdProblem(SourceEntry entry, String sourceId) {
        if (entry.routeId() == null || sourceId == null || entry.routeId().equals(sourceId)) {
            return Optional.empty();
        }
        return Optional.of("routeId '" + entry.routeId() + "' differs from sourceId '" + sourceId
                + "': give both the same value (the status API and verify find a source's route by its sourceId)");
    }

    private void refuse(SourceEntry entry, String sourceId, String reason, Applied old) {
        String message = entry.describe() + ": " + reason;
        RefusedSource health = new RefusedSource(entry, message);
        // an editor saves in several steps (create, write, modify): one line per mistake is enough
        boolean repeated = old != null && old.refused() != null && old.refused().reason().equals(message)
                && old.entry().parameters().equals(entry.parameters());
        Optional.ofNullable(HealthCheckRegistry.get(context)).ifPresent(registry -> registry.register(health));
        applied.put(entry.key(), new Applied(entry, sourceId, health));
        // logged last: whoever reads this line finds the refusal in health already
        if (!repeated) {
            LOG.error("{}. This source is not started; the other sources run on.", message);
        }
    }

    private void remove(Applied old) {
        applied.remove(old.entry().key());
        if (old.refused() != null) {
            Optional.ofNullable(HealthCheckRegistry.get(context)).ifPresent(registry -> registry.unregister(old.refused()));
            return;
        }
        // the route's SourceHealthPolicy takes its health check and gauges with it
        removeRoute(model(), old.entry().routeId());
    }

    /** The innermost message: Camel's wrappers name the route's internals, not the file's mistake. */
    private static String why(Throwable e) {
        String message = ChangeSource.root(e).getMessage();
        return message != null ? message : ChangeSource.reason(e);
    }

    private Model model() {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }

    /** Stops the route (graceful: its current run ends first) and removes it and its definition. */
    private static void removeRoute(Model model, String routeId) {
        RouteDefinition definition = routeId == null ? null : model.getRouteDefinition(routeId);
        if (definition == null) {
            return;
        }
        try {
            model.removeRouteDefinition(definition);
        } catch (Exception e) {
            LOG.warn("route {} could not be removed cleanly: {}", routeId, ChangeSource.reason(e));
        }
    }
}
