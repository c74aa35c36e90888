package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.http.ApiException;
import io.tributary.job.JobControl;
import io.tributary.json.Json;
import io.tributary.node.NodeClient;
import io.tributary.node.SourceNode;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;

/**
 * Another node's collection, its {@code selection} read partition by partition for an online copy or a backup
 * ({@code .../plan}, then {@code .../partition} per partition, served by the node's sync API from
 * {@link CollectionPartitions}). Every request is bounded by the control given here: the job's, as the copy's.
 */
public final class NodePartitions implements OnlineCopy.Source {

    private final SourceNode node;
    private final JobControl control;
    private final ObjectNode asked = Json.MAPPER.createObjectNode();
    private String identity;

    /**
     * @param url        the source node, e.g. {@code http://central-a:8529}
     * @param database   the source database
     * @param collection the source collection, validated by the caller
     */
    public NodePartitions(String url, String database, String collection, String username, String password,
                          Selection selection, JobControl control) {
        this.node = new SourceNode(url, database, collection, username, password, control);
        this.control = control;
        selection.write(asked);
    }

    @Override
    public List<BackupPlan> plan(JobControl job) {
        JsonNode answer = node.post("/plan", NodeClient.json(asked), true);
        identity = answer.path("identity").isTextual() ? answer.get("identity").asText() : null;
        return StreamSupport.stream(answer.path("partitions").spliterator(), false)
                .map(p -> new BackupPlan(p.path("name").asText(),
                        p.path("bounds").isObject() ? (ObjectNode) p.get("bounds") : Json.MAPPER.createObjectNode(),
                        p.path("rows").asLong()))
                .toList();
    }

    @Override
    public long read(BackupPlan plan, Consumer<ObjectNode> out, JobControl job) {
        ObjectNode body = asked.deepCopy();
        body.set("partition", Json.MAPPER.valueToTree(plan));
        return partition(plan.name(), NodeClient.json(body), out);
    }

    @Override
    public String identity() {
        return identity;
    }

    /** Streams one partition's documents (JSON Lines) to {@code out}; throws unless the source's closing line came. */
    private long partition(String name, byte[] body, Consumer<ObjectNode> out) {
        String cut = "Source " + node.origin() + " ended partition '" + ApiException.printable(name) + "' before its end (the"
                + " source failed, or the connection broke); nothing of the partition was written";
        try {
            return node.stream("/partition", body, in -> {
                long rows = 0;
                try (MappingIterator<ObjectNode> lines = Json.MAPPER.readerFor(ObjectNode.class).readValues(in)) {
                    while (lines.hasNextValue()) {
                        ObjectNode line = lines.nextValue();
                        if (!line.has("_key")) {
                            if (!line.path("end").asBoolean(false) || line.path("rows").asLong(-1) != rows) {
                                throw new IllegalStateException(cut);
                            }
                            return rows;
                        }
                        control.check();
                        out.accept(line);
                        rows++;
                    }
                    throw new IllegalStateException(cut);
                }
            });
        } catch (IOException | RuntimeJsonMappingException e) {
            control.check(); // a cancel or the job's time limit closed the answer
            throw new IllegalStateException(cut);
        }
    }
}
