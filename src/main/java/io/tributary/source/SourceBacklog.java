package io.tributary.source;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows waiting at one source, the time of the oldest where the mode knows it ({@link SourceLag}), and the
 * central node's position for it, as last counted. Reading it
 * never waits for a database: a reading older than {@code backlogIntervalMs} starts one new count in the
 * background (on a small pool shared by every source) and the old reading is answered meanwhile. So
 * however often the status API or the metrics are read, a source database gets at most one count per
 * interval, and the count itself is one bounded statement: it stops at {@code backlogLimit} rows.
 */
public final class SourceBacklog {

    /**
     * One count.
     *
     * @param rows     rows waiting: change rows left (change-table mode) or rows past the watermark; null when the count failed
     * @param atLeast  the count reached the limit: at least this many are waiting
     * @param oldestChange when the oldest waiting change was made (this process's clock), where the mode knows it
     *                 (timestamp mode, a change table with a {@code timestampColumn}); null when nothing waits or unknown
     * @param centralPosition the central node's stored position for this source, null when unknown
     * @param error    why the count or the position is missing, else null
     */
    public record Reading(Long rows, boolean atLeast, Instant oldestChange, String centralPosition, Instant at, String error) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SourceBacklog.class);
    private static final String POOL = "tributarySourceBacklogPool";

    private final ChangeSource source;
    private final AtomicBoolean counting = new AtomicBoolean();
    private final AtomicLong queries = new AtomicLong();
    private volatile Reading last;
    private volatile Instant started;
    private volatile ExecutorService pool;

    SourceBacklog(ChangeSource source) {
        this.source = source;
    }

    /** Counts run on the node's shared backlog pool (two threads from Camel's executor service manager). */
    void start(CamelContext context) {
        synchronized (SourceBacklog.class) {
            ExecutorService shared = context.getRegistry().lookupByNameAndType(POOL, ExecutorService.class);
            if (shared == null) {
                shared = context.getExecutorServiceManager().newFixedThreadPool(this, "tributary-backlog", 2);
                context.getRegistry().bind(POOL, ExecutorService.class, shared);
            }
            pool = shared;
        }
    }

    /** The last reading (empty before the first count ended); starts a new count when it is due. */
    public Optional<Reading> reading() {
        Instant lastStart = started;
        long interval = source.settings().backlogIntervalMs();
        if ((lastStart == null || Duration.between(lastStart, Instant.now()).toMillis() >= interval)
                && pool != null && counting.compareAndSet(false, true)) {
            started = Instant.now();
            try {
                pool.execute(this::count);
            } catch (RejectedExecutionException e) {
                counting.set(false); // stopping
            }
        }
        return Optional.ofNullable(last);
    }

    /** Count queries sent to the source database so far. */
    public long queries() {
        return queries.get();
    }

    private void count() {
        String sourceId = source.settings().sourceId();
        try {
            Long rows = null;
            Instant oldest = null;
            String error = null;
            long limit = source.settings().backlogLimit();
            try {
                SourceRuns.Snapshot runs = source.runs().snapshot();
                // change-table mode: every row still in the table is waiting, whatever the watermark
                Watermark after = source.settings().mode() == CaptureMode.CHANGE_TABLE ? null : runs.watermark();
                String timeColumn = source.settings().mode() == CaptureMode.INCREMENTING || source.settings().timestampColumn().isEmpty()
                        ? null : source.settings().timestampColumn();
                queries.incrementAndGet();
                Instant countStart = Instant.now();
                ChangeFeed.Waiting waiting = source.feed().countAfter(source.keyOrder(), after, limit, timeColumn);
                rows = waiting.rows();
                if (waiting.rows() == 0) {
                    // as good as a run that found nothing: everything committed before the count was sent
                    source.runs().caughtUp(countStart);
                }
                if (waiting.oldest() != null) {
                    // its age by the database's own clock, so the clocks of the two machines need not agree
                    Duration age = Duration.between(source.clock().fromColumnTime(waiting.oldest(), waiting.clock()),
                            waiting.clock().now());
                    oldest = Instant.now().minus(age.isNegative() ? Duration.ZERO : age);
                }
            } catch (RuntimeException e) {
                error = "cannot count the backlog: " + ChangeSource.reason(e);
                LOG.debug("source={} {}", sourceId, error);
            }
            String central = null;
            try {
                central = source.centralPosition().fetch(sourceId).orElse(null);
            } catch (RuntimeException e) {
                error = error == null ? "cannot read the central position: " + ChangeSource.reason(e) : error;
            }
            last = new Reading(rows, rows != null && rows >= limit, oldest, central, Instant.now(), error);
        } finally {
            counting.set(false);
        }
    }
}
