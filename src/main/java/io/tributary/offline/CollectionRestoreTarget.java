package io.tributary.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.central.CollectionStore;
import io.tributary.central.StoredCollection;
import io.tributary.http.ApiException;
import io.tributary.json.Json;
import io.tributary.keyrange.DocumentHash;
import io.tributary.keyrange.VersionedDocument;
import io.tributary.job.JobControl;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A collection of the central store as a restore's target, written only through {@link StoredCollection}:
 * a partition's documents are staged, then swapped in one transaction by the store's version rule. A
 * backup's {@code _version} attribute becomes the document's version (the store keeps it in its own
 * column, not in the document). A table's backup restores too: its key column's value is the {@code _key}.
 */
final class CollectionRestoreTarget implements RestoreTarget {

    private static final int CHUNK = 1000;

    private final CollectionStore store;
    private final String identity;
    private final String database;
    private final String collection;
    private final String stagingArea;
    private BackupManifest manifest;

    CollectionRestoreTarget(CollectionStore store, String identity, String database, String collection) {
        this(store, identity, database, collection, null);
    }

    private CollectionRestoreTarget(CollectionStore store, String identity, String database, String collection,
                                    String stagingArea) {
        this.store = store;
        this.identity = identity;
        this.database = database;
        this.collection = collection;
        this.stagingArea = stagingArea;
    }

    /** This target staging its partitions in their own area, so that several replace partitions at once. */
    CollectionRestoreTarget inStagingArea(String area) {
        CollectionRestoreTarget t = new CollectionRestoreTarget(store, identity, database, collection, area);
        t.manifest = manifest;
        return t;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public void prepare(BackupManifest manifest) {
        this.manifest = manifest;
    }

    /** Documents answer a key range (a collection's backup filter), not a SQL condition. */
    @Override
    public boolean scopesFilter(BackupManifest manifest) {
        return manifest.filter() == null || manifest.filter().isNull() || !manifest.filter().has("where");
    }

    @Override
    public String rowHash(ObjectNode row) {
        VersionedDocument doc = document(row);
        return DocumentHash.of(doc.key(), doc.version(), doc.json());
    }

    /** A backup's row as the store keeps it. */
    private VersionedDocument document(ObjectNode row) {
        ObjectNode doc = row.deepCopy();
        JsonNode key = doc.get("_key");
        if (key == null || key.isNull()) {
            key = manifest.keyColumn() == null ? null : doc.get(manifest.keyColumn());
            if (key == null || key.isNull()) {
                throw new IllegalArgumentException("a row of backup '" + manifest.name() + "' has no _key");
            }
            doc.put("_key", key.asText());
        }
        JsonNode version = doc.remove("_version");
        BigInteger v = version == null || version.isNull() ? null
                : version.isNumber() ? version.bigIntegerValue() : new BigInteger(version.asText());
        return new VersionedDocument(doc.get("_key").asText(), v, doc.toString());
    }

    @Override
    public List<PartitionDigest> stored(List<BackupManifest.Partition> partitions) {
        List<PartitionDigest> digests = new ArrayList<>();
        List<Predicate<JsonNode>> members = new ArrayList<>();
        for (BackupManifest.Partition p : partitions) {
            digests.add(new PartitionDigest());
            members.add(DocumentBounds.of(manifest, p));
        }
        if (!store.collections(database).contains(collection)) {
            return digests;
        }
        // one scan, in pages by key: memory holds one page whatever the collection's size
        StoredCollection stored = store.collection(database, collection, false);
        String after = null;
        for (List<VersionedDocument> page = stored.ranges().page(null, CHUNK); !page.isEmpty();
             page = stored.ranges().page(after, CHUNK)) {
            for (VersionedDocument doc : page) {
                JsonNode json = parse(doc.json());
                for (int i = 0; i < members.size(); i++) {
                    if (members.get(i).test(json)) {
                        digests.get(i).add(DocumentHash.of(doc.key(), doc.version(), doc.json()));
                    }
                }
            }
            after = page.get(page.size() - 1).key();
        }
        return digests;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("Stored document is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public long present(BackupManifest.Partition partition, List<ObjectNode> rows) {
        if (!store.collections(database).contains(collection)) {
            return 0;
        }
        Predicate<JsonNode> inPartition = DocumentBounds.of(manifest, partition);
        return store.documents(database, collection, rows.stream().map(r -> document(r).key()).toList()).values().stream()
                .filter(inPartition).count();
    }

    @Override
    public Replaced replace(PartitionRows file, BackupManifest.Partition partition, long present, JobControl control) {
        StoredCollection stored = store.collection(database, collection, true);
        StoredCollection target = stagingArea == null ? stored : stored.staging(stagingArea);
        target.createStaging();
        // the swap replaces the documents in the bounds: a row outside them would stay behind the next one
        Predicate<JsonNode> inPartition = DocumentBounds.of(manifest, partition);
        long[] rows = {0};
        try {
            List<VersionedDocument> chunk = new ArrayList<>(CHUNK);
            file.read(row -> {
                rows[0]++;
                if (!inPartition.test(row)) {
                    throw new IllegalArgumentException((file instanceof PartitionFile f ? "backup file " + f.file()
                            : "the rows of partition " + partition.name()) + " row " + rows[0] + " lies outside partition '"
                            + ApiException.printable(partition.name()) + "'; nothing of the partition was written");
                }
                chunk.add(document(row));
                if (chunk.size() == CHUNK) {
                    target.stage(chunk);
                    chunk.clear();
                    control.check();
                }
            });
            target.stage(chunk);
            StoredCollection.Written w = target.swapPartition(DocumentBounds.of(manifest, partition), (deleting, before) -> {
            });
            return new Replaced(w.written(), w.deleted(), w.keptNewer(), w.unchanged());
        } finally {
            target.dropStaging();
        }
    }
}
