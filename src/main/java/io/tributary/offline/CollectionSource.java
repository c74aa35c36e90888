package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.json.Json;

/** A collection as a backup's source, this node's or another's: what the manifest says of either. */
abstract class CollectionSource implements BackupSource {

    final BackupSpec spec;

    CollectionSource(BackupSpec spec) {
        this.spec = spec;
    }

    /** The collection's identity ({@link SourceIdentity}): a restore onto it is refused. */
    abstract String identity();

    /** No password: the manifest and the job's listing show where the documents came from, never how to get in. */
    @Override
    public ObjectNode describe() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("kind", "collection");
        if (spec.url() != null) {
            o.put("url", spec.url());
        }
        o.put("database", spec.database()).put("collection", spec.collection()).put("identity", identity());
        if (spec.columns() != null) {
            ArrayNode a = o.putArray("attributes");
            spec.columns().forEach(a::add);
        }
        return o;
    }

    /** Documents have no typed columns; the attributes kept are in the source's {@code attributes}. */
    @Override
    public JsonNode columns() {
        return Json.MAPPER.nullNode();
    }

    @Override
    public JsonNode filter() {
        return spec.filterJson();
    }

    @Override
    public String keyColumn() {
        return "_key";
    }
}
