package io.tributary.verify;

import io.tributary.keyrange.DocumentHash;
import io.tributary.keyrange.KeyRanges;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.node.NodeClient;
import io.tributary.node.NodeCredentials;
import io.tributary.node.NodeErrorAnswer;
import io.tributary.node.NodeUnreachable;
import io.tributary.source.ChangeFeed.Change;
import io.tributary.source.ImportResponseCheck;
import io.tributary.job.JobControl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;

/**
 * Sends the rows a verify found missing or different to the central import endpoint, in the source's own
 * request format ({@code type=array&complete=true&onDuplicate=replace&versionAttribute=_version}), without
 * position headers: a repair fills holes and must not move the source's recorded position.
 *
 * <p>Each batch is checked again just before it is sent: the rows are read from the table anew and the
 * central node's documents fetched, so a row delivered meanwhile is skipped. Versioned replace cannot fix a
 * document the central node holds at the same (or a higher) version with other content: it keeps the first
 * content it got for a version. Those documents, and only those, are sent a second time without
 * {@code versionAttribute} and counted as forced.
 */
final class CentralRepair {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int BATCH = 100;

    private final NodeClient centralNode;
    private final SourceSettings settings;
    private final SourceTable table;
    private final KeyRanges central;
    private final Backlog backlog;
    private final JobControl control;
    private final VerifyReport report;
    private final List<String> keys = new ArrayList<>();

    CentralRepair(SourceSettings settings, SourceTable table, KeyRanges central, Backlog backlog, JobControl control,
                  VerifyReport report) {
        this.settings = settings;
        this.table = table;
        this.central = central;
        this.backlog = backlog;
        this.control = control;
        this.report = report;
        this.centralNode = new NodeClient(settings.centralUrl(),
                new NodeCredentials(settings.centralUsername(), settings.centralPassword()), CONNECT_TIMEOUT);
    }

    /** Repairs this key with the next batch. */
    void add(String key) {
        keys.add(key);
        if (keys.size() >= BATCH) {
            flush();
        }
    }

    /** Repairs the keys added since the last batch. */
    void flush() {
        if (keys.isEmpty()) {
            return;
        }
        control.check();
        Map<String, VersionedDocument> stored = central.documents(keys).stream()
                .collect(Collectors.toMap(VersionedDocument::key, d -> d));
        List<SourceTable.Row> versioned = new ArrayList<>();
        List<SourceTable.Row> forced = new ArrayList<>();
        List<SourceTable.Row> rows = table.rows(keys);
        keys.clear();
        rows.sort(Comparator.comparing(SourceTable.Row::key));
        for (SourceTable.Row row : rows) {
            VersionedDocument there = stored.get(row.key());
            if (there != null && DocumentHash.of(there.key(), null, there.json()).equals(row.hash())) {
                continue; // delivered meanwhile
            }
            if (Backlog.usesWatermark(settings.mode()) && backlog.pending(row)) {
                continue; // changed meanwhile: the source sends it
            }
            boolean newer = there == null || there.version() == null || row.version() == null
                    || row.version().compareTo(there.version()) > 0;
            (newer ? versioned : forced).add(row);
        }
        send(versioned, true);
        versioned.forEach(r -> report.repaired.add(r.key()));
        send(forced, false);
        forced.forEach(r -> report.forced.add(r.key()));
    }

    private void send(List<SourceTable.Row> rows, boolean versioned) {
        if (rows.isEmpty()) {
            return;
        }
        List<Change> changes = rows.stream().map(SourceTable.Row::change).toList();
        String path = settings.importPath() + "?collection="
                + URLEncoder.encode(settings.collection(), StandardCharsets.UTF_8) + "&createCollection="
                + settings.createCollection() + "&type=array&complete=true&onDuplicate=replace"
                + (versioned ? "&versionAttribute=_version" : "");
        NodeClient.Answer answer;
        try {
            answer = centralNode.send("POST", path, table.body().json(changes), control.remaining());
        } catch (NodeErrorAnswer e) {
            throw new IllegalStateException("Repair of source " + settings.sourceId() + ": central node answered HTTP "
                    + e.status() + ": " + e.excerpt(500));
        } catch (NodeUnreachable e) {
            throw new IllegalStateException("Repair of source " + settings.sourceId() + " cannot reach the central node: "
                    + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("Repair interrupted", e);
        }
        new ImportResponseCheck().check(answer.text(), rows.size());
    }
}
