package io.tributary.twoway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.job.JobWork;
import io.tributary.json.Json;
import io.tributary.sql.Jdbc;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a two-way pair as a job ({@code kind} {@code two-way}): resolves the tables, takes the range
 * (explicit, or from the pair's stored end, or from the epoch; the end defaults to the databases' clock
 * minus the safety lag), runs both directions and only then stores the end.
 */
public final class TwoWayTask implements JobWork {

    private static final Logger LOG = LoggerFactory.getLogger(TwoWayTask.class);
    static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    private final TwoWaySpec spec;
    private final CollectionStore store;
    private final Function<String, DataSource> dataSources;
    private final TwoWayState state;
    private final TwoWayTables allowed;
    private final UnaryOperator<TwoWayStore> sides;
    private List<String> tables;
    private volatile TwoWayReport report;

    /**
     * @param dataSources finds a DataSource by bean name (null when there is none)
     * @param stateDataSource the central database, which holds {@code tributary_two_way}
     * @param allowed the node's allow-lists; null: everything but system catalogs (the operator's command line)
     */
    TwoWayTask(TwoWaySpec spec, CollectionStore store, Function<String, DataSource> dataSources, DataSource stateDataSource,
               TwoWayTables allowed, UnaryOperator<TwoWayStore> sides) {
        this.spec = spec;
        this.store = store;
        this.dataSources = dataSources;
        this.state = new TwoWayState(stateDataSource);
        this.allowed = allowed == null ? new TwoWayTables(null) : allowed;
        this.sides = sides;
    }

    /** Resolves the tables and checks each against the node's lists: before the job is accepted. */
    void validate() {
        DataSource a = dataSource(spec.aDataSource, "a.dataSource");
        if (!spec.toCollections()) {
            dataSource(spec.bDataSource, "b.dataSource");
        }
        List<String> selected = TwoWayTables.select(spec, new Jdbc(a), t -> store != null && store.ownsTable(a, t));
        for (String t : selected) {
            allowed.checkTable(spec.aDataSource, t);
            if (spec.toCollections()) {
                if (spec.bUrl == null) { // another node's collections: its own credentials decide
                    allowed.checkCollection(spec.mapped(t));
                }
            } else {
                allowed.checkTable(spec.bDataSource, spec.mapped(t));
            }
        }
        tables = selected;
    }

    @Override
    public String kind() {
        return "two-way";
    }

    @Override
    public String writes() {
        return "two-way pair " + spec.pair;
    }

    @Override
    public ObjectNode describe() {
        ObjectNode o = spec.toJson();
        if (tables != null) {
            o.set("resolvedTables", Json.MAPPER.valueToTree(tables));
        }
        return o;
    }

    @Override
    public long maxWaitSeconds() {
        return spec.maxWaitSeconds;
    }

    @Override
    public ObjectNode run(JobControl control) {
        if (tables == null) {
            validate();
        }
        List<TwoWayRun.TablePair> pairs = new ArrayList<>();
        Jdbc a = new Jdbc(dataSource(spec.aDataSource, "a.dataSource"));
        Jdbc b = spec.toCollections() ? null : new Jdbc(dataSource(spec.bDataSource, "b.dataSource"));
        for (String t : tables) {
            SqlTableStore left = new SqlTableStore(spec.aDataSource, a, t, spec.keyColumn, spec.timestampColumn, spec.deletedColumn);
            TwoWayStore right = spec.toCollections()
                    ? collection(spec.mapped(t), new CollectionDocuments(left.key(), left.time(),
                            spec.deletedColumn == null ? null : spec.deletedColumn.toLowerCase(Locale.ROOT)), control)
                    : new SqlTableStore(spec.bDataSource, b, spec.mapped(t), spec.keyColumn, spec.timestampColumn, spec.deletedColumn);
            if (right instanceof SqlTableStore r && !r.content().equals(left.content())) {
                throw ApiException.badParameter("tables " + left.name() + " and " + r.name() + " must have the same columns: "
                        + left.content() + " and " + r.content() + " (besides key and timestamp)");
            }
            pairs.add(new TwoWayRun.TablePair(sides.apply(left), sides.apply(right)));
        }
        String fingerprint = spec.fingerprint(tables);
        Optional<Long> stored = state.end(spec.pair, fingerprint);
        LocalDateTime begin = spec.begin != null ? spec.begin : stored.map(TwoWayVersion::time).orElse(EPOCH);
        LocalDateTime end = spec.end != null ? spec.end : settled(pairs);
        TwoWayReport r = new TwoWayReport(begin, end, spec.begin == null && stored.isEmpty());
        report = r;
        if (begin.isBefore(end)) {
            new TwoWayRun(pairs, control).run(begin, end, r);
        }
        if (!spec.explicitRange() || spec.storeEnd) {
            // only now: both directions of every table completed
            state.store(spec.pair, fingerprint, TwoWayVersion.micros(end.isAfter(begin) ? end : begin));
            r.endStored();
        }
        LOG.info("two-way pair {} ran {} .. {}", spec.pair, begin, end);
        return r.toJson();
    }

    /** Side B's collection: of this node, or of another node ({@code b.url}). */
    private TwoWayStore collection(String name, CollectionDocuments documents, JobControl control) {
        return spec.bUrl == null ? new CentralCollectionStore(store, spec.bDatabase, name, documents)
                : new RemoteCollectionStore(spec.bUrl, spec.bDatabase, name, spec.bUsername, spec.bPassword, documents, control);
    }

    /**
     * Where late commits can no longer cross: the earlier of both sides' bounds (every table of a side is in
     * one database, so the first pair says it; a collection has no clock).
     */
    private LocalDateTime settled(List<TwoWayRun.TablePair> pairs) {
        TwoWayRun.TablePair first = pairs.get(0);
        return Stream.of(first.a().settled(spec.safetyLagMs), first.b().settled(spec.safetyLagMs))
                .flatMap(Optional::stream).min(LocalDateTime::compareTo)
                .orElseThrow(() -> new IllegalStateException("no SQL side to read the clock of: give 'end'"));
    }

    @Override
    public ObjectNode partialResult() {
        TwoWayReport r = report;
        return r == null ? null : r.toJson();
    }

    private DataSource dataSource(String name, String field) {
        DataSource ds = dataSources.apply(name);
        if (ds == null) {
            throw ApiException.badParameter("'" + field + "': no DataSource bean named '" + name + "'");
        }
        return ds;
    }
}
