package io.tributary.verify;

import io.tributary.node.NodeCredentials;
import io.tributary.source.CaptureMode;
import io.tributary.source.CentralPosition;
import io.tributary.source.KeyOrder;
import io.tributary.source.Watermark;
import io.tributary.status.StatusStore;
import java.util.Optional;

/**
 * Which rows of an incrementing or timestamp source it has not read yet: those after its stored watermark
 * (in timestamp mode that includes every row inside the safety lag, which the source does not read yet).
 * Such a row missing or differing at the central node is pending, not an error. The watermark is read once,
 * before the comparison, so a row the source sends meanwhile shows as pending at worst, never as an error
 * that is none. Without a status row the central node's position stands in, as for the source itself.
 */
final class Backlog {

    private final KeyOrder order;
    /** The watermark's position; null: nothing was sent yet, every row is pending. */
    private final String sent;

    private Backlog(KeyOrder order, String sent) {
        this.order = order;
        this.sent = sent;
    }

    static Backlog of(SourceSettings s, KeyOrder order) {
        Optional<StatusStore.Status> status;
        try {
            status = new StatusStore(s.statusDataSource(), s.statusTable()).read(s.sourceId());
        } catch (RuntimeException e) {
            status = Optional.empty(); // no status table yet: the source has not run
        }
        if (status.isPresent()) {
            return new Backlog(order, new Watermark(status.get().lastKey(), status.get().lastTimestamp()).position(order));
        }
        Optional<String> central = new CentralPosition(s.centralUrl(), new NodeCredentials(s.centralUsername(),
                s.centralPassword())).fetch(s.sourceId());
        return new Backlog(order, central.map(p -> Watermark.fromPosition(p, order, s.mode()).position(order)).orElse(null));
    }

    /** Change-table mode has no watermark to go by: what is still in the table is the backlog. */
    static Backlog changeTable() {
        return new Backlog(null, null);
    }

    boolean pending(SourceTable.Row row) {
        return sent == null || row.change().watermark().position(order).compareTo(sent) > 0;
    }

    static boolean usesWatermark(CaptureMode mode) {
        return mode != CaptureMode.CHANGE_TABLE;
    }
}
