package io.tributary.source;

import io.tributary.node.NodeCredentials;
import io.tributary.source.ChangeFeed.Change;
import io.tributary.sql.Dialect;
import io.tributary.status.StatusStore.Status;
import io.tributary.status.StatusStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One configured source: the template-local bean of {@code routes/change-source-template.camel.yaml}
 * (one instance per templated route), made from the template's parameters ({@link SourceConfiguration}).
 * Each method is one step of the route; the work itself is done by {@link ChangeFeed}, {@link BatchBody},
 * {@link ImportResponseCheck} and, in batch order, {@link OrderedCheckpoint}. A batch's state travels in
 * exchange properties, never in headers, so none of it can leak into the HTTP request.
 */
public final class ChangeSource implements ExceptionHandler {

    public static final String WATERMARK = "tributaryWatermark";
    public static final String POSITION = "tributaryPosition";
    /** The position acknowledged before a page's first batch. */
    public static final String ACKNOWLEDGED = "tributaryAcknowledged";
    public static final String KEYS = "tributaryKeys";
    public static final String ROWS = "tributaryRows";
    public static final String IMPORT_PATH = "tributaryImportPath";
    public static final String FULL_PAGE = "tributaryFullPage";
    public static final String PAGE_END = "tributaryPageEnd";
    public static final String GAPS_SEEN = "tributaryGapsSeen";
    public static final String GAP_KEYS_FOUND = "tributaryGapKeysFound";
    static final String RUN_PERMIT = "tributaryRunPermit";

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSource.class);

    private final SourceConfiguration settings;
    private final String sourceId;
    private final CaptureMode captureMode;
    private final NodeCredentials centralAuth;
    private final SourceRegistrar registrar;
    private final CentralPosition centralPosition;
    private final SourceRuns runs = new SourceRuns();
    private final SourceHealth health;
    /** Runs never overlap: the poll's and one asked for through the API ({@code POST /api/sources/{id}/run}). */
    private final Semaphore runPermit = new Semaphore(1);
    private final SourceBacklog backlog;
    private final SourcePause pause;
    /** The pause was logged: once per pause, not at every poll while paused. */
    private final AtomicBoolean pauseAnnounced = new AtomicBoolean();
    private Prepared prepared;
    /** The position recovered from the central node while this source has no status row yet. */
    private volatile Watermark recovered;

    /** What needs the databases: built on the first run, so a database that is down at start-up only fails runs. */
    private record Prepared(KeyOrder order, ChangeFeed feed, SourceClock clock, Capture capture, BatchBody body,
                            StatusStore status, Checkpoint checkpoint) {
    }

    /** Fails the route's creation on a misconfigured source, naming the parameter. */
    public ChangeSource(Map<String, Object> parameters) {
        this.settings = SourceConfiguration.of(parameters);
        this.sourceId = settings.sourceId();
        this.captureMode = settings.mode();
        this.centralAuth = new NodeCredentials(settings.centralUsername(), settings.centralPassword());
        this.registrar = new SourceRegistrar(settings.centralUrl(), centralAuth);
        this.centralPosition = new CentralPosition(settings.centralUrl(), centralAuth);
        this.health = new SourceHealth(sourceId, settings.downAfterFailedRuns(), runs);
        this.backlog = new SourceBacklog(this);
        this.pause = new SourcePause(settings.statusDataSource(), settings.statusTable(), sourceId);
    }

    /**
     * First route step: waits for a run in progress to end (one started through the API), then starts this one.
     * The permit is given back when the run's exchange is done, whatever its outcome. A paused source's runs
     * read nothing (the pause of a source paused before this node started is read from the status database
     * once, here). Its route keeps running rather than being suspended: Camel's error handler refuses every
     * redelivery after a route suspend and resume (CAMEL-23494), so a resumed source would never retry a batch.
     */
    public void runStarted(Exchange exchange) throws InterruptedException {
        // a retry of this step (the stored pause could not be read) already holds the run's permit
        if (exchange.getProperty(RUN_PERMIT) == null) {
            runPermit.acquire();
            exchange.setProperty(RUN_PERMIT, new AtomicBoolean(true));
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    runDone(done);
                }
            });
        }
        if (pause.stored().isPresent()) {
            exchange.setRouteStop(true);
            if (pauseAnnounced.compareAndSet(false, true)) {
                LOG.info("source={} is paused (stored since {}): resume it with POST /api/sources/{}/resume", sourceId,
                        pause.known().orElse(null), sourceId);
            }
            return;
        }
        pauseAnnounced.set(false);
        runs.runStarted();
    }

    /**
     * Waits for the run in progress, if any, to end, at most {@code timeout}; whether none runs now. A run
     * that starts later sees a pause stored before this wait and reads nothing.
     */
    boolean awaitRunEnd(Duration timeout) throws InterruptedException {
        if (!runPermit.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        runPermit.release();
        return true;
    }

    /** The run's exchange is done, whatever its outcome. */
    void runDone(Exchange exchange) {
        AtomicBoolean permit = exchange.getProperty(RUN_PERMIT, AtomicBoolean.class);
        if (permit != null && permit.getAndSet(false)) {
            runPermit.release();
        }
    }

    /**
     * Route step 1: the next page of changes, in order. What "next" means is the capture mode's
     * ({@link Capture}); a run's first page has no {@link #PAGE_END} yet.
     */
    public List<Change> readChanges(Exchange exchange) {
        Prepared p = prepared();
        registrar.ensureRegistered(settings);
        Watermark stored = watermark(p);
        String storedPosition = stored == null ? null : stored.position(p.order());
        exchange.setProperty(ACKNOWLEDGED, storedPosition);
        if (exchange.getProperty(PAGE_END) == null) {
            runs.watermark(stored, storedPosition);
        }
        Instant readStart = Instant.now();
        Capture.Page page = p.capture().read(stored, exchange.getProperty(PAGE_END, Watermark.class), settings.maxChanges());
        if (!page.full()) {
            runs.readToEnd(readStart);
        }
        p.capture().describe(health);
        List<Change> changes = page.changes();
        if (!changes.isEmpty()) {
            exchange.setProperty(PAGE_END, changes.get(changes.size() - 1).watermark());
        }
        exchange.setProperty(FULL_PAGE, page.full() && !stopping(exchange));
        return changes;
    }

    /** Camel, or this source's route, is stopping, or the source is paused: the run ends after this page. */
    private boolean stopping(Exchange exchange) {
        CamelContext context = exchange.getContext();
        String routeId = exchange.getFromRouteId();
        ServiceStatus route = routeId == null ? null : context.getRouteController().getRouteStatus(routeId);
        return context.isStopping() || pause.known().isPresent()
                || route != null && (route.isStopping() || route.isStopped() || route.isSuspending() || route.isSuspended());
    }

    /** Route step 2, per batch: the import request body; the batch's acknowledgement data goes to exchange properties. */
    public byte[] toImportBody(List<Change> batch, Exchange exchange) {
        Prepared p = prepared();
        Watermark last = batch.get(batch.size() - 1).watermark();
        // only a change table deletes what it sent; other modes need no key list per batch
        List<Object> keys = captureMode != CaptureMode.CHANGE_TABLE ? List.of()
                : batch.stream().map(change -> p.order().sqlValue(change.key())).toList();
        List<KeyGaps.Gap> gapsSeen = batch.stream().map(Change::gapBefore).filter(Objects::nonNull).toList();
        List<Long> gapKeysFound = batch.stream().filter(Change::fromGap).map(change -> Long.parseLong(change.key())).toList();
        exchange.setProperty(GAPS_SEEN, gapsSeen);
        exchange.setProperty(GAP_KEYS_FOUND, gapKeysFound);
        exchange.setProperty(WATERMARK, last);
        exchange.setProperty(POSITION, last.position(p.order()));
        exchange.setProperty(KEYS, keys);
        exchange.setProperty(ROWS, batch.size());
        exchange.setProperty(IMPORT_PATH, settings.importPath());
        return p.body().json(batch);
    }

    /** Route step 2b: the Basic credentials when configured, kept out of endpoint URIs and logs. */
    public void authorization(Exchange exchange) {
        centralAuth.authorization().ifPresent(value -> exchange.getMessage().setHeader("Authorization", value));
    }

    /** Route step 3: throws unless the central node imported every document. */
    public void checkImportResponse(String body, Exchange exchange) {
        new ImportResponseCheck().check(body, exchange.getProperty(ROWS, Integer.class));
    }

    /**
     * Last route step: every batch of the run was acknowledged (or there was nothing to send). One INFO line
     * per run that sent rows, DEBUG for a run that found nothing.
     */
    public void runSucceeded() {
        runs.runSucceeded();
        SourceRuns.Snapshot s = runs.snapshot();
        runLine(s.runRows() > 0 ? LOG.atInfo() : LOG.atDebug(), s)
                .log("source={} run sent {} rows in {} s, watermark={}", sourceId, s.runRows(), seconds(s), s.watermark());
    }

    /** A run's numbers as key-value pairs too, for the JSON log format (tributary.log.format=json). */
    private LoggingEventBuilder runLine(LoggingEventBuilder line, SourceRuns.Snapshot s) {
        return line.addKeyValue("source", sourceId).addKeyValue("rows", s.runRows()).addKeyValue("seconds", seconds(s))
                .addKeyValue("watermark", s.watermark() == null ? null : s.watermark().toString());
    }

    private static String seconds(SourceRuns.Snapshot s) {
        return String.format(Locale.ROOT, "%.3f", Duration.between(s.runStart(), s.runEnd()).toNanos() / 1e9);
    }

    /**
     * The poll consumer's exception handler: a failed run is expected operation (central node down, a
     * rejected batch), so it is one WARN line with the reason and a health-check update, not a stack trace.
     */
    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String reason = reason(exception);
        runs.runFailed(exception);
        SourceRuns.Snapshot s = runs.snapshot();
        runLine(LOG.atWarn(), s).addKeyValue("error", reason).log("source={} run failed ({} in a row) after sending {} rows"
                + " in {} s, watermark={}: {}. Nothing after the last acknowledged batch was deleted; the next run resumes"
                + " from the stored watermark.", sourceId, s.consecutiveFailures(), s.runRows(), seconds(s), s.watermark(), reason);
    }

    /** The innermost cause's message: the wrappers added by split and redelivery say nothing useful. */
    static String reason(Throwable exception) {
        Throwable root = root(exception);
        if (root instanceof HttpOperationFailedException http) {
            // the central node's answer says why (an ArangoDB error body), the URL does not
            String body = http.getResponseBody() == null ? "" : http.getResponseBody().strip();
            return "central node answered HTTP " + http.getStatusCode() + ": "
                    + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == exception ? text : root.getClass().getSimpleName() + ": " + text;
    }

    static Throwable root(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    public SourceConfiguration settings() {
        return settings;
    }

    public SourceHealth health() {
        return health;
    }

    public SourceRuns runs() {
        return runs;
    }

    /** Whether the source is paused, as stored in the status database. */
    SourcePause pause() {
        return pause;
    }

    /** The rows waiting at the source, counted at most once per interval. */
    public SourceBacklog backlog() {
        return backlog;
    }

    /** The status table, the key order and the capture mode's reading: built on the first use. */
    StatusStore statusStore() {
        return prepared().status();
    }

    KeyOrder keyOrder() {
        return prepared().order();
    }

    ChangeFeed feed() {
        return prepared().feed();
    }

    /** The source database's clock, in the zone its timestamp column is written in. */
    SourceClock clock() {
        return prepared().clock();
    }

    CentralPosition centralPosition() {
        return centralPosition;
    }

    /** Deletes a batch's change rows and stores its watermark. */
    Checkpoint checkpoint() {
        return prepared().checkpoint();
    }

    private Watermark watermark(Prepared p) {
        Optional<Status> stored = p.status().read(sourceId);
        if (stored.isPresent()) {
            recovered = null;
            return new Watermark(stored.get().lastKey(), stored.get().lastTimestamp());
        }
        if (captureMode == CaptureMode.CHANGE_TABLE) {
            // The change table holds exactly the unacknowledged rows: resend them all. Rows the central node
            // already has are ignored there by version, and only this way they get deleted here.
            return null;
        }
        if (recovered == null) {
            // No status row: either the first run ever, or the status was lost. The central node knows how far it got.
            Optional<String> position = centralPosition.fetch(sourceId);
            if (position.isEmpty()) {
                LOG.info("source={} has no stored watermark and the central node has no position: starting from the beginning", sourceId);
                return null;
            }
            recovered = Watermark.fromPosition(position.get(), p.order(), captureMode);
            LOG.warn("source={} has no stored watermark: resuming from the central node's position {}", sourceId, position.get());
        }
        return recovered;
    }

    private synchronized Prepared prepared() {
        if (prepared == null) {
            SourceConfiguration s = settings;
            Dialect dialect = Dialect.of(s.dataSource());
            ChangeFeed feed = new ChangeFeed(s.dataSource(), dialect, s.table(), s.keyColumn(),
                    captureMode == CaptureMode.TIMESTAMP ? s.timestampColumn() : null, s.columnCase());
            KeyOrder order = s.keyOrder() == null ? KeyOrder.forColumnType(feed.keyColumnType()) : s.keyOrder();
            StatusStore status = new StatusStore(s.statusDataSource(), s.statusTable());
            status.createIfMissing();
            KeyGaps gaps = null;
            Capture capture;
            SourceClock clock = new SourceClock(sourceId, dialect, s.timestampZone());
            switch (captureMode) {
                // a change table holds exactly the unacknowledged rows, so a run reads it from its beginning whatever the
                // watermark says (a row that took a lower key but committed later is found on the next run); later pages
                // of a run continue after the previous page
                case CHANGE_TABLE -> capture = (stored, pageEnd, max) -> {
                    List<Change> changes = feed.read(order, pageEnd, max, null);
                    return new Capture.Page(changes, changes.size() >= max);
                };
                case TIMESTAMP -> capture = new TimestampCapture(feed, order, clock, s.safetyLagMs());
                default -> {
                    if (order != KeyOrder.NUMERIC) {
                        // gaps in a sequence of strings cannot be told apart from keys that will never exist
                        throw new IllegalStateException("Source '" + sourceId + "': mode=incrementing needs a numeric key column"
                                + " (keyOrder numeric), so that rows committed late below the watermark can be found; use"
                                + " mode=change-table or mode=timestamp for " + s.table());
                    }
                    gaps = new KeyGaps(status.dataSource(), s.statusTable(), sourceId);
                    gaps.createIfMissing();
                    capture = new IncrementingCapture(sourceId, feed, clock, gaps, Duration.ofMillis(s.gapTimeoutMs()));
                }
            }
            Checkpoint checkpoint = new Checkpoint(s.dataSource(), captureMode == CaptureMode.CHANGE_TABLE ? s.table() : null,
                    s.keyColumn(), status, sourceId, gaps);
            prepared = new Prepared(order, feed, clock, capture, new BatchBody(sourceId, s.keyPrefix(), order, captureMode), status, checkpoint);
            LOG.info("source={} reads {} (mode {}, key order {}{})", sourceId, s.table(), captureMode.parameterValue(), order.parameterValue(),
                    captureMode == CaptureMode.TIMESTAMP ? ", timestamps in " + clock.zoneDescription() : "");
        }
        return prepared;
    }
}
