package io.tributary.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What one verify found (and, with repair, sent). Counts are exact; key lists hold the first
 * {@value #KEYS_LISTED} keys of each kind in key order, so a report stays small for any table.
 */
public final class VerifyReport {

    static final int KEYS_LISTED = 100;

    /** Keys of one kind: how many, and the first few. */
    static final class Keys {
        long count;
        final List<String> first = new ArrayList<>();

        void add(String key) {
            count++;
            if (first.size() < KEYS_LISTED) {
                first.add(key);
            }
        }

        ObjectNode toJson() {
            ObjectNode json = Json.MAPPER.createObjectNode().put("count", count);
            ArrayNode keys = json.putArray("keys");
            first.forEach(keys::add);
            return json;
        }
    }

    final String sourceId;
    final String mode;
    final String collection;
    final String keyPrefix;
    final boolean repair;
    /** Rows of the source table compared (with a timestamp, in timestamp mode). */
    long sourceRows;
    /** Central documents under the source's prefix compared (change-table mode: those of rows still in the table). */
    long centralDocuments;
    long chunksCompared;
    long chunksDiffering;
    /** In the table, not at the central node, and already passed by the source's watermark. */
    final Keys missing = new Keys();
    /** At the central node under the source's prefix, not in the table (not checked in change-table mode). */
    final Keys extra = new Keys();
    /** In both, with different content, and already passed by the source's watermark. */
    final Keys different = new Keys();
    /** Not sent yet by the source (after its watermark, or in change-table mode still in the table), and missing or different at the central node. */
    final Keys pending = new Keys();
    /** Documents a repair sent with the source's versioned replace. */
    final Keys repaired = new Keys();
    /** Documents a repair replaced although the central node held the same or a higher version. */
    final Keys forced = new Keys();
    long durationMillis;

    VerifyReport(SourceSettings s, boolean repair) {
        this.sourceId = s.sourceId();
        this.mode = s.mode().parameterValue();
        this.collection = s.collection();
        this.keyPrefix = s.keyPrefix();
        this.repair = repair;
    }

    /** No missing, extra or different documents (pending ones are on their way and do not count). */
    public boolean isConsistent() {
        return missing.count == 0 && extra.count == 0 && different.count == 0;
    }

    /** One line for a log. */
    public String getSummary() {
        return "source=" + sourceId + " missing=" + missing.count + " extra=" + extra.count + " different="
                + different.count + " pending=" + pending.count + " sourceRows=" + sourceRows
                + (repair ? " repaired=" + repaired.count + " forced=" + forced.count : "");
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("sourceId", sourceId).put("mode", mode).put("collection", collection).put("keyPrefix", keyPrefix)
                .put("consistent", isConsistent()).put("sourceRows", sourceRows).put("centralDocuments", centralDocuments);
        json.set("missing", missing.toJson());
        json.set("extra", extra.toJson());
        json.set("different", different.toJson());
        json.set("pending", pending.toJson());
        if (repair) {
            ObjectNode r = json.putObject("repair");
            r.set("sent", repaired.toJson());
            r.set("forced", forced.toJson());
        }
        json.put("chunksCompared", chunksCompared).put("chunksDiffering", chunksDiffering)
                .put("durationMillis", durationMillis);
        return json;
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
