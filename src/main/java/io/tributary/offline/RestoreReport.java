package io.tributary.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;
import java.util.List;

/** What a restore did (or, in a dry run, would do), per partition of the backup and in total. */
public record RestoreReport(String backup, boolean dryRun, boolean force, List<Partition> partitions) {

    public static final String RESTORED = "restored";
    public static final String UNCHANGED = "unchanged";
    public static final String REFUSED = "refused";
    public static final String SKIPPED = "skipped";

    /**
     * {@code rows}: the backup's rows of the partition; {@code written}: rows written to the target;
     * {@code deleted}: rows of the partition the backup lacks, removed; {@code keptNewer}: stored documents
     * with a newer {@code _version}, kept.
     */
    public record Partition(String name, long rows, String status, long written, long deleted, long keptNewer) {
    }

    public Partition partition(String name) {
        return partitions.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no partition " + name));
    }

    public long count(String status) {
        return partitions.stream().filter(p -> p.status().equals(status)).count();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("backup", backup).put("dryRun", dryRun).put("force", force);
        ArrayNode list = o.putArray("partitions");
        long rows = 0;
        long written = 0;
        long deleted = 0;
        long keptNewer = 0;
        for (Partition p : partitions) {
            list.addObject().put("name", p.name()).put("rows", p.rows()).put("status", p.status())
                    .put("written", p.written()).put("deleted", p.deleted()).put("keptNewer", p.keptNewer());
            if (!p.status().equals(SKIPPED)) {
                rows += p.rows();
            }
            written += p.written();
            deleted += p.deleted();
            keptNewer += p.keptNewer();
        }
        ObjectNode totals = o.putObject("totals");
        totals.put("rows", rows).put("written", written).put("deleted", deleted).put("keptNewer", keptNewer);
        for (String status : List.of(RESTORED, UNCHANGED, REFUSED, SKIPPED)) {
            totals.put(status, count(status));
        }
        return o;
    }
}
