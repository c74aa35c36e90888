package io.tributary.source;

import io.tributary.node.NodeCredentials;
import io.tributary.source.ChangeFeed.Change;
import io.tributary.source.ChangeFeed.ColumnCase;
import io.tributary.sql.Dialect;
import io.tributary.sql.SqlIdentifier;
import io.tributary.status.StatusStore;
import io.tributary.status.StatusStore.Status;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured source: the template-local bean of {@code routes/change-source-template.camel.yaml}
 * (one instance per templated route, filled from the template parameters). Each method is one step
 * of the route; the work itself is done by {@link ChangeFeed}, {@link BatchBody},
 * {@link ImportResponseCheck} and {@link Checkpoint}. A batch's state travels in exchange properties,
 * never in headers, so none of it can leak into the HTTP request.
 *
 * <p>Batches of a run may be sent in parallel; this bean is also the split's aggregation strategy,
 * which Camel calls in batch order, so checkpoints (deletes and watermark) always advance in order.
 */
public final class ChangeSource implements ExceptionHandler, AggregationStrategy {

    public static final String WATERMARK = "tributaryWatermark";
    public static final String POSITION = "tributaryPosition";
    public static final String KEYS = "tributaryKeys";
    public static final String ROWS = "tributaryRows";
    public static final String IMPORT_PATH = "tributaryImportPath";
    public static final String FULL_PAGE = "tributaryFullPage";
    public static final String PAGE_END = "tributaryPageEnd";
    public static final String GAPS_SEEN = "tributaryGapsSeen";
    public static final String GAP_KEYS_FOUND = "tributaryGapKeysFound";
    public static final String SOURCE_HEADER = "X-Tributary-Source";
    public static final String POSITION_HEADER = "X-Tributary-Position";

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSource.class);

    // Every setting comes from the route template, which declares its default (the one place); init() checks each was set.
    private String sourceId;
    private DataSource dataSource;
    private String table;
    private String keyColumn;
    private String mode;
    private String timestampColumn;
    private Long safetyLagMs;
    private String timestampZone;
    private Long gapTimeoutMs;
    private String keyOrder;
    private Integer maxChanges;
    private String keyPrefix;
    private String columnCase;
    private DataSource statusDataSource;
    private String statusTable;
    private String centralUrl;
    private String database;
    private String collection;
    private String centralUsername;
    private String centralPassword;
    private Integer downAfterFailedRuns;
    private SourceHealth health;

    private CaptureMode captureMode;
    private NodeCredentials centralAuth;
    private SourceRegistrar registrar;
    private String importPath;
    private Prepared prepared;
    /** The position recovered from the central node while this source has no status row yet. */
    private volatile Watermark recovered;

    /** What needs the databases: built on the first run, so a database that is down at start-up only fails runs. */
    private record Prepared(KeyOrder order, Capture capture, BatchBody body, StatusStore status, Checkpoint checkpoint) {
    }

    /** The current run: which batch is acknowledged next, and the position everything before it reached. */
    private RunProgress run = new RunProgress(null);

    private static final class RunProgress {
        int nextToAcknowledge;
        String acknowledged;

        RunProgress(String start) {
            this.acknowledged = start;
        }
    }

    /** Called once the template parameters are set: fails start-up on a misconfigured source. */
    public void init() {
        require("sourceId", sourceId);
        require("table", table);
        require("keyColumn", keyColumn);
        require("centralUrl", centralUrl);
        Object[] settings = {"mode", mode, "timestampColumn", timestampColumn, "safetyLagMs", safetyLagMs, "timestampZone",
            timestampZone, "gapTimeoutMs", gapTimeoutMs, "keyOrder", keyOrder, "maxChanges", maxChanges, "keyPrefix", keyPrefix,
            "columnCase", columnCase, "statusTable", statusTable, "database", database, "collection", collection,
            "centralUsername", centralUsername, "centralPassword", centralPassword, "downAfterFailedRuns", downAfterFailedRuns};
        for (int i = 0; i < settings.length; i += 2) {
            if (settings[i + 1] == null) {
                throw new IllegalArgumentException("Source '" + sourceId + "': parameter " + settings[i] + " was not set"
                        + " (the route template routes/change-source-template.camel.yaml sets every one)");
            }
        }
        if (dataSource == null) {
            throw new IllegalArgumentException("Source '" + sourceId + "': dataSource bean not found");
        }
        SqlIdentifier.requireQualified("table", table);
        SqlIdentifier.require("keyColumn", keyColumn);
        SqlIdentifier.requireQualified("statusTable", statusTable);
        captureMode = CaptureMode.parse(mode);
        if (captureMode == CaptureMode.TIMESTAMP) {
            SqlIdentifier.require("timestampColumn", timestampColumn);
        } else if (!timestampColumn.isEmpty()) {
            throw new IllegalArgumentException("Source '" + sourceId + "': timestampColumn is only used with mode=timestamp");
        }
        KeyOrder.parse(keyOrder);
        ColumnCase.parse(columnCase);
        if (!database.isEmpty() && !database.matches("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("Source '" + sourceId + "': invalid database name '" + database + "'");
        }
        centralAuth = new NodeCredentials(centralUsername, centralPassword);
        registrar = new SourceRegistrar(centralUrl, centralAuth);
        importPath = database.isEmpty() ? "/_api/import" : "/_db/" + database + "/_api/import";
        if (maxChanges < 1 || safetyLagMs < 0 || downAfterFailedRuns < 1 || gapTimeoutMs < 0) {
            throw new IllegalArgumentException("Source '" + sourceId
                    + "': maxChanges and downAfterFailedRuns must be positive, safetyLagMs and gapTimeoutMs not negative");
        }
        if (!timestampZone.isEmpty()) {
            try {
                ZoneId.of(timestampZone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("Source '" + sourceId + "': invalid timestampZone '" + timestampZone
                        + "': use a zone id such as UTC, Europe/Berlin or +02:00");
            }
        }
        health = new SourceHealth(sourceId, downAfterFailedRuns);
    }

    /**
     * Route step 1: the next page of changes, in order. What "next" means is the capture mode's
     * ({@link Capture}); a run's first page has no {@link #PAGE_END} yet.
     */
    public List<Change> readChanges(Exchange exchange) {
        if (health.getCamelContext() == null) {
            health.setCamelContext(exchange.getContext());
            HealthCheckRegistry.get(exchange.getContext()).register(health);
            if (captureMode == CaptureMode.INCREMENTING) {
                KeyGapMetrics.register(exchange.getContext(), sourceId, health);
            }
        }
        Prepared p = prepared();
        registrar.ensureRegistered(sourceId, dataSource, table, keyColumn, database, collection, keyPrefix);
        Watermark stored = watermark(p);
        synchronized (this) {
            run = new RunProgress(stored == null ? null : stored.position(p.order()));
        }
        Capture.Page page = p.capture().read(stored, exchange.getProperty(PAGE_END, Watermark.class), maxChanges);
        p.capture().describe(health);
        List<Change> changes = page.changes();
        if (!changes.isEmpty()) {
            exchange.setProperty(PAGE_END, changes.get(changes.size() - 1).watermark());
        }
        exchange.setProperty(FULL_PAGE, page.full());
        return changes;
    }

    /** Route step 2, per batch: the import request body; the batch's acknowledgement data goes to exchange properties. */
    public byte[] toImportBody(List<Change> batch, Exchange exchange) {
        Prepared p = prepared();
        Watermark last = batch.get(batch.size() - 1).watermark();
        // only a change table deletes what it sent; other modes need no key list per batch
        List<Object> keys = List.of();
        if (captureMode == CaptureMode.CHANGE_TABLE) {
            keys = new ArrayList<>(batch.size());
            for (Change change : batch) {
                keys.add(p.order().sqlValue(change.key()));
            }
        }
        List<KeyGaps.Gap> gapsSeen = new ArrayList<>();
        List<Long> gapKeysFound = new ArrayList<>();
        for (Change change : batch) {
            if (change.gapBefore() != null) {
                gapsSeen.add(change.gapBefore());
            }
            if (change.fromGap()) {
                gapKeysFound.add(Long.parseLong(change.key()));
            }
        }
        exchange.setProperty(GAPS_SEEN, gapsSeen);
        exchange.setProperty(GAP_KEYS_FOUND, gapKeysFound);
        exchange.setProperty(WATERMARK, last);
        exchange.setProperty(POSITION, last.position(p.order()));
        exchange.setProperty(KEYS, keys);
        exchange.setProperty(ROWS, batch.size());
        exchange.setProperty(IMPORT_PATH, importPath);
        return p.body().json(batch);
    }

    /**
     * Route step 2b: the request's own headers. The Basic credentials when configured (kept out of
     * endpoint URIs and logs), and the source position the central node stores with the documents.
     * That position must never run ahead of a batch that may still fail, so a batch sent while an
     * earlier one of its run is unacknowledged carries the position acknowledged so far, not its own.
     */
    public void importHeaders(Exchange exchange) {
        centralAuth.authorization().ifPresent(value -> exchange.getMessage().setHeader("Authorization", value));
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
        String position;
        synchronized (this) {
            position = run.nextToAcknowledge == index ? exchange.getProperty(POSITION, String.class) : run.acknowledged;
        }
        if (position != null) {
            exchange.getMessage().setHeader(SOURCE_HEADER, sourceId);
            exchange.getMessage().setHeader(POSITION_HEADER, position);
        }
    }

    /** Route step 3: throws unless the central node imported every document. */
    public void checkImportResponse(String body, Exchange exchange) {
        new ImportResponseCheck().check(body, exchange.getProperty(ROWS, Integer.class));
    }

    /**
     * Step 4, the split's aggregation: Camel hands over the imported batches in their order (a batch
     * only after every earlier one), and never one after a failed batch. Each is checkpointed here:
     * its change rows deleted and its watermark stored.
     */
    @Override
    public Exchange aggregate(Exchange previous, Exchange batch) {
        checkpoint(batch);
        return batch;
    }

    /** Delete the transferred change rows and store the watermark. */
    @SuppressWarnings("unchecked")
    private void checkpoint(Exchange exchange) {
        Watermark watermark = exchange.getProperty(WATERMARK, Watermark.class);
        String position = exchange.getProperty(POSITION, String.class);
        int rows = exchange.getProperty(ROWS, Integer.class);
        prepared().checkpoint().commit(exchange.getProperty(KEYS, List.class), watermark, position, rows,
                exchange.getProperty(GAPS_SEEN, List.class), exchange.getProperty(GAP_KEYS_FOUND, List.class));
        synchronized (this) {
            run.nextToAcknowledge = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class) + 1;
            run.acknowledged = position;
        }
        recovered = null;
        health.batchSent(rows);
        List<?> seen = exchange.getProperty(GAPS_SEEN, List.class);
        List<?> found = exchange.getProperty(GAP_KEYS_FOUND, List.class);
        LOG.info("source={} batch={} rows, watermark={}{}", sourceId, rows, watermark,
                seen.isEmpty() && found.isEmpty() ? "" : ", key gaps seen " + seen + ", late keys " + found);
    }

    /** Last route step: every batch of the run was acknowledged (or there was nothing to send). */
    public void runSucceeded() {
        health.runSucceeded();
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
        health.runFailed(reason);
        LOG.warn("source={} run failed ({} in a row): {}. Nothing after the last acknowledged batch was deleted;"
                + " the next run resumes from the stored watermark.", sourceId, health.consecutiveFailures(), reason);
    }

    /** The innermost cause's message: the wrappers added by split and redelivery say nothing useful. */
    static String reason(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof HttpOperationFailedException http) {
            // the central node's answer says why (an ArangoDB error body), the URL does not
            String body = http.getResponseBody() == null ? "" : http.getResponseBody().strip();
            return "central node answered HTTP " + http.getStatusCode() + ": "
                    + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == exception ? text : root.getClass().getSimpleName() + ": " + text;
    }

    public SourceHealth health() {
        return health;
    }

    private Watermark watermark(Prepared p) {
        Optional<Status> stored = p.status().read(sourceId);
        if (stored.isPresent()) {
            return new Watermark(stored.get().lastKey(), stored.get().lastTimestamp());
        }
        if (captureMode == CaptureMode.CHANGE_TABLE) {
            // The change table holds exactly the unacknowledged rows: resend them all. Rows the central node
            // already has are ignored there by version, and only this way they get deleted here.
            return null;
        }
        if (recovered == null) {
            // No status row: either the first run ever, or the status was lost. The central node knows how far it got.
            Optional<String> position = new CentralPosition(centralUrl, centralAuth).fetch(sourceId);
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
            Dialect dialect = Dialect.of(dataSource);
            ChangeFeed feed = new ChangeFeed(dataSource, dialect, table, keyColumn,
                    captureMode == CaptureMode.TIMESTAMP ? timestampColumn : null, ColumnCase.parse(columnCase));
            KeyOrder order = KeyOrder.parse(keyOrder);
            if (order == null) {
                order = KeyOrder.forColumnType(feed.keyColumnType());
            }
            StatusStore status = new StatusStore(statusDataSource == null ? dataSource : statusDataSource, statusTable);
            status.createIfMissing();
            KeyGaps gaps = null;
            Capture capture;
            SourceClock clock = new SourceClock(sourceId, dialect, timestampZone);
            switch (captureMode) {
                case CHANGE_TABLE -> capture = new ChangeTableCapture(feed, order);
                case TIMESTAMP -> capture = new TimestampCapture(feed, order, clock, safetyLagMs);
                default -> {
                    if (order != KeyOrder.NUMERIC) {
                        // gaps in a sequence of strings cannot be told apart from keys that will never exist
                        throw new IllegalStateException("Source '" + sourceId + "': mode=incrementing needs a numeric key column"
                                + " (keyOrder numeric), so that rows committed late below the watermark can be found; use"
                                + " mode=change-table or mode=timestamp for " + table);
                    }
                    gaps = new KeyGaps(status.dataSource(), statusTable, sourceId);
                    gaps.createIfMissing();
                    capture = new IncrementingCapture(sourceId, feed, clock, gaps, Duration.ofMillis(gapTimeoutMs));
                }
            }
            Checkpoint checkpoint = new Checkpoint(dataSource, captureMode == CaptureMode.CHANGE_TABLE ? table : null,
                    keyColumn, status, sourceId, gaps);
            prepared = new Prepared(order, capture, new BatchBody(sourceId, keyPrefix, order, captureMode), status, checkpoint);
            LOG.info("source={} reads {} (mode {}, key order {}{})", sourceId, table, captureMode.parameterValue(), order.parameterValue(),
                    captureMode == CaptureMode.TIMESTAMP ? ", timestamps in " + clock.zoneDescription() : "");
        }
        return prepared;
    }

    private void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Source '" + sourceId + "': parameter " + name + " is required");
        }
    }

    public void setSourceId(String sourceId) {
        this.sourceId = sourceId;
    }

    public void setDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public void setKeyColumn(String keyColumn) {
        this.keyColumn = keyColumn;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public void setTimestampColumn(String timestampColumn) {
        this.timestampColumn = timestampColumn == null ? "" : timestampColumn;
    }

    public void setSafetyLagMs(Long safetyLagMs) {
        this.safetyLagMs = safetyLagMs;
    }

    public void setTimestampZone(String timestampZone) {
        this.timestampZone = timestampZone == null ? "" : timestampZone.trim();
    }

    public void setGapTimeoutMs(Long gapTimeoutMs) {
        this.gapTimeoutMs = gapTimeoutMs;
    }

    public void setKeyOrder(String keyOrder) {
        this.keyOrder = keyOrder;
    }

    public void setMaxChanges(Integer maxChanges) {
        this.maxChanges = maxChanges;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
    }

    public void setColumnCase(String columnCase) {
        this.columnCase = columnCase;
    }

    public void setStatusDataSource(DataSource statusDataSource) {
        this.statusDataSource = statusDataSource;
    }

    public void setStatusTable(String statusTable) {
        this.statusTable = statusTable;
    }

    public void setCentralUrl(String centralUrl) {
        this.centralUrl = centralUrl;
    }

    public void setCollection(String collection) {
        this.collection = collection == null ? "" : collection;
    }

    public void setDatabase(String database) {
        this.database = database == null ? "" : database;
    }

    public void setCentralUsername(String centralUsername) {
        this.centralUsername = centralUsername == null ? "" : centralUsername;
    }

    public void setDownAfterFailedRuns(Integer downAfterFailedRuns) {
        this.downAfterFailedRuns = downAfterFailedRuns;
    }

    public void setCentralPassword(String centralPassword) {
        this.centralPassword = centralPassword == null ? "" : centralPassword;
    }
}
