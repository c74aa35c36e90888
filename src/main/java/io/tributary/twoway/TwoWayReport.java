package io.tributary.twoway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/** What a run did: its range, and per table and direction the rows read, applied, skipped, ties and tombstones. */
final class TwoWayReport {

    /** One direction of one table pair. */
    static final class Direction {
        final String from;
        final String to;
        volatile long read;
        volatile long applied;
        volatile long skippedNotNewer;
        volatile long tiesResolved;
        volatile long tombstonesApplied;
        volatile boolean completed;

        Direction(String from, String to) {
            this.from = from;
            this.to = to;
        }

        synchronized void add(long rows, TwoWayStore.Applied a) {
            read += rows;
            applied += a.applied();
            skippedNotNewer += a.skipped();
            tiesResolved += a.ties();
            tombstonesApplied += a.tombstones();
        }

        ObjectNode toJson() {
            return Json.MAPPER.createObjectNode().put("from", from).put("to", to).put("read", read).put("applied", applied)
                    .put("skippedNotNewer", skippedNotNewer).put("tiesResolved", tiesResolved)
                    .put("tombstonesApplied", tombstonesApplied).put("completed", completed);
        }
    }

    private final LocalDateTime begin;
    private final LocalDateTime end;
    private final boolean freshState;
    private final List<Direction> directions = new ArrayList<>();
    private volatile boolean endStored;

    TwoWayReport(LocalDateTime begin, LocalDateTime end, boolean freshState) {
        this.begin = begin;
        this.end = end;
        this.freshState = freshState;
    }

    synchronized Direction direction(String from, String to) {
        Direction d = new Direction(from, to);
        directions.add(d);
        return d;
    }

    void endStored() {
        endStored = true;
    }

    synchronized List<Direction> directions() {
        return List.copyOf(directions);
    }

    synchronized ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("begin", begin.toString()).put("end", end.toString()).put("freshState", freshState).put("endStored", endStored);
        ArrayNode list = o.putArray("directions");
        directions.forEach(d -> list.add(d.toJson()));
        return o;
    }
}
