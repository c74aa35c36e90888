package io.tributary.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.StoredCollection;
import io.tributary.json.Json;
import io.tributary.offline.OnlineCopy;
import java.util.ArrayList;
import java.util.List;

/** What one sync did (or, in a dry run, would do). */
public final class SyncReport {

    boolean incremental;
    boolean dryRun;
    /** Ranges whose hashes were compared, at every level of the descent. */
    long chunksCompared;
    /** Of those, the ranges whose hashes differed. */
    long chunksDiffering;
    /** Documents fetched from the source and written (dry run: that would be written). */
    long rowsTransferred;
    /** Target rows removed because the source no longer has them (dry run: that would be removed). */
    long rowsDeleted;
    /** Target rows left alone because their version was newer than the source's. */
    long rowsKeptNewer;
    /** Source rows with the target's version and the same content: already there, not written. */
    long rowsUnchanged;
    /** Source rows with the target's version but different content: not written, named in {@link #conflictKeys}. */
    long conflicts;
    /** The first conflicting keys. */
    final List<String> conflictKeys = new ArrayList<>();
    long rowsTotal;
    /** Dry run: a real run would be refused as a mass delete (see {@link DeleteLimit}). */
    boolean massDelete;
    long bytesReceived;
    long bytesSent;
    long durationMillis;
    /** An online copy by partition: each partition's result, in the order they completed; null for a plain sync. */
    List<OnlineCopy.Copied> partitions;

    /** Adds what one write into the target did. */
    void add(StoredCollection.Written w) {
        rowsTransferred += w.written();
        rowsDeleted += w.deleted();
        rowsKeptNewer += w.keptNewer();
        rowsUnchanged += w.unchanged();
        conflicts += w.conflicts();
        w.conflictKeys().stream().limit(Math.max(0, StoredCollection.Written.CONFLICT_KEYS - conflictKeys.size()))
                .forEach(conflictKeys::add);
    }

    /** Adds one partition of an online copy; partitions may complete at once on several threads. */
    synchronized void add(OnlineCopy.Copied c) {
        partitions.add(c);
        rowsTotal += c.read();
        rowsTransferred += c.written();
        rowsDeleted += c.deleted();
        rowsKeptNewer += c.keptNewer();
        rowsUnchanged += c.unchanged();
    }

    public long conflicts() {
        return conflicts;
    }

    public synchronized ObjectNode toJson() {
        if (partitions != null) {
            return partitionsJson();
        }
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("incremental", incremental).put("dryRun", dryRun)
                .put("chunksCompared", chunksCompared).put("chunksDiffering", chunksDiffering)
                .put("rowsTransferred", rowsTransferred).put("rowsDeleted", rowsDeleted)
                .put("rowsKeptNewer", rowsKeptNewer).put("rowsUnchanged", rowsUnchanged).put("conflicts", conflicts)
                .put("rowsTotal", rowsTotal).put("massDelete", massDelete)
                .put("bytesReceived", bytesReceived).put("bytesSent", bytesSent)
                .put("durationMillis", durationMillis);
        json.putPOJO("conflictKeys", conflictKeys);
        return json;
    }

    /** An online copy's report: totals, then per partition (docs/collection-sync.md, "Online copy by partition"). */
    private ObjectNode partitionsJson() {
        ObjectNode json = Json.MAPPER.createObjectNode().put("partitioned", true)
                .put("partitionsCopied", partitions.size()).put("rowsRead", rowsTotal)
                .put("rowsTransferred", rowsTransferred).put("rowsDeleted", rowsDeleted)
                .put("rowsKeptNewer", rowsKeptNewer).put("rowsUnchanged", rowsUnchanged)
                .put("durationMillis", durationMillis);
        ArrayNode list = json.putArray("partitions");
        partitions.stream().sorted(java.util.Comparator.comparing(OnlineCopy.Copied::name)).forEach(c -> list.addObject().put("name", c.name()).put("rowsRead", c.read())
                .put("rowsWritten", c.written()).put("rowsDeleted", c.deleted()).put("rowsKeptNewer", c.keptNewer())
                .put("rowsUnchanged", c.unchanged()));
        return json;
    }
}
