package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.util.List;

/**
 * What a backup wrote (a dry run: would write): its directory and each partition's rows, bytes and SHA-256.
 *
 * @param directory the complete backup's directory; null for a dry run
 */
public record BackupReport(String backup, boolean dryRun, String directory, List<Partition> partitions) {

    /** {@code bytes} and {@code sha256} of the file; 0 and null in a dry run. */
    public record Partition(String name, long rows, long bytes, String sha256) {
    }

    public long rows() {
        return partitions.stream().mapToLong(Partition::rows).sum();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("backup", backup).put("dryRun", dryRun);
        if (directory != null) {
            o.put("directory", directory);
        }
        ArrayNode list = o.putArray("partitions");
        for (Partition p : partitions) {
            ObjectNode e = list.addObject().put("name", p.name()).put("rows", p.rows());
            if (!dryRun) {
                e.put("bytes", p.bytes()).put("sha256", p.sha256());
            }
        }
        o.putObject("totals").put("partitions", partitions.size()).put("rows", rows())
                .put("bytes", partitions.stream().mapToLong(Partition::bytes).sum());
        return o;
    }
}
