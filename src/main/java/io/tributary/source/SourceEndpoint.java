package io.tributary.source;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.http.JsonResponse;
import io.tributary.http.RequestPath;
import io.tributary.json.Json;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source status API, called from {@code routes/sources.camel.yaml}: {@code GET /api/sources[/{sourceId}]},
 * {@code POST /api/sources/{sourceId}/pause|resume|run} (docs/operations.md#source-status). Pause and resume
 * are Camel's own suspend and resume of the source's route (its poll stops and starts; a run in progress ends
 * after its current page); a pause is stored ({@link SourcePause}) and lasts until resumed, across restarts.
 */
public class SourceEndpoint implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(SourceEndpoint.class);
    /** How long a pause waits for the run in progress (a page being retried may take longer) before it answers. */
    static final Duration RUN_END_WAIT = Duration.ofSeconds(30);

    private CamelContext context;
    private ExecutorService runs;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** Runs asked for through the API; Camel shuts the pool down with the context. */
    private synchronized ExecutorService runs() {
        if (runs == null) {
            runs = context.getExecutorServiceManager().newCachedThreadPool(this, "tributary-source-run");
        }
        return runs;
    }

    /** {@code GET /api/sources}: every source of this node, by id. */
    public void list(Exchange exchange) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode list = answer.putArray("sources");
        sources().forEach(source -> list.add(view(source)));
        JsonResponse.send(exchange.getMessage(), 200, answer);
    }

    /** {@code GET /api/sources/{sourceId}}. */
    public void source(Exchange exchange) {
        JsonResponse.send(exchange.getMessage(), 200, view(find(exchange)));
    }

    /**
     * {@code POST /api/sources/{sourceId}/pause}: its poll stops after the run in progress; nothing is sent until
     * resumed, also after a restart (the pause is stored first: 503 when the status database cannot store it).
     */
    public void pause(Exchange exchange) throws Exception {
        ChangeSource source = find(exchange);
        // stored only: the route keeps polling and its runs read nothing (ChangeSource.runStarted says why)
        stored(() -> source.pause().pause());
        // answered once the run in progress sent its last page: whoever reads "paused" sees no more rows arrive
        if (!source.awaitRunEnd(RUN_END_WAIT)) {
            LOG.info("source={} is paused; its run in progress still ends its current page", source.settings().sourceId());
        }
        JsonResponse.send(exchange.getMessage(), 200, view(source));
    }

    /** {@code POST /api/sources/{sourceId}/resume}: removes the stored pause and polls again. */
    public void resume(Exchange exchange) throws Exception {
        ChangeSource source = find(exchange);
        String id = source.settings().sourceId();
        ServiceStatus status = context.getRouteController().getRouteStatus(id);
        boolean suspended = status != null && (status.isSuspended() || status.isSuspending());
        // the stored pause, read now if no run has read it yet: a source paused before this node started is
        // paused from its start, not only from its first poll (hours away on a schedule)
        boolean paused = storedState(() -> source.pause().stored()).isPresent();
        if (!suspended && !paused) {
            throw new ApiException(409, ApiException.CONFLICT, "source '" + id + "' is not paused");
        }
        stored(() -> source.pause().resume());
        if (suspended) {
            context.getRouteController().resumeRoute(id);
        }
        JsonResponse.send(exchange.getMessage(), 200, view(source));
    }

    /** A change of the stored pause; the status database's failure is the answer (503), and nothing changes. */
    private static void stored(Runnable change) {
        storedState(() -> {
            change.run();
            return null;
        });
    }

    /** A read or change of the stored pause; the status database's failure is the answer (503). */
    private static <T> T storedState(Supplier<T> work) {
        try {
            return work.get();
        } catch (IllegalStateException e) {
            throw new ApiException(503, ApiException.INTERNAL, e.getMessage());
        }
    }

    /**
     * {@code POST /api/sources/{sourceId}/run}: one run now, in the background (202), after the run in progress
     * if there is one; not for a paused or stopped source (409).
     */
    public void run(Exchange exchange) {
        ChangeSource source = find(exchange);
        String id = source.settings().sourceId();
        Route route = context.getRoute(id);
        ServiceStatus status = context.getRouteController().getRouteStatus(id);
        boolean paused = source.pause().known().isPresent();
        if (route == null || status == null || !status.isStarted() || paused) {
            // a pausing source still ending its run shows running, but it is the pause that refuses
            SourceStatus.State state = SourceStatus.state(status, source.runs().snapshot(), paused);
            throw new ApiException(409, ApiException.CONFLICT, "source '" + id + "' is "
                    + (state == SourceStatus.State.RUNNING ? SourceStatus.State.PAUSED : state).text() + ": resume it first");
        }
        runs().execute(() -> runOnce(route, source));
        JsonResponse.send(exchange.getMessage(), 202, view(source));
    }

    /** One run through the route's own processing (error handler, policy, steps), like a poll. */
    private static void runOnce(Route route, ChangeSource source) {
        Exchange exchange = route.getEndpoint().createExchange();
        exchange.getExchangeExtension().setFromEndpoint(route.getEndpoint());
        exchange.getExchangeExtension().setFromRouteId(route.getRouteId());
        try {
            AsyncProcessorConverterHelper.convert(route.getProcessor()).process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            source.runDone(exchange);
        }
        if (exchange.getException() != null) {
            source.handleException("run asked for through the API", exchange, exchange.getException());
        }
    }

    private ObjectNode view(ChangeSource source) {
        return SourceStatus.view(source, context.getRouteController().getRouteStatus(source.settings().sourceId()));
    }

    ChangeSource find(Exchange exchange) {
        String id = RequestPath.parameter(exchange.getMessage(), "sourceId");
        return sources().stream().filter(s -> s.settings().sourceId().equals(id)).findFirst().orElseThrow(() ->
                new ApiException(404, ApiException.NOT_FOUND, "no source '" + ApiException.printable(id == null ? "" : id)
                        + "' is configured"));
    }

    /** The sources of this node: routes made from the template whose local bean {@code source} is a {@link ChangeSource}. */
    List<ChangeSource> sources() {
        return ((ModelCamelContext) context).getRouteDefinitions().stream()
                .map(RouteDefinition::getRouteTemplateContext).filter(t -> t != null)
                .map(t -> t.getLocalBeanRepository().lookupByName("source"))
                .filter(ChangeSource.class::isInstance).map(ChangeSource.class::cast)
                .sorted(Comparator.comparing(s -> s.settings().sourceId())).toList();
    }
}
