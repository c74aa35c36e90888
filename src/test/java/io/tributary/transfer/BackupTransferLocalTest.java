package io.tributary.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.central.CollectionStore;
import io.tributary.json.Json;
import io.tributary.offline.OfflineJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transfer to a directory on this machine (local disk, NFS mount, removable media). */
class BackupTransferLocalTest extends BackupTransferCases {

    private Path media;

    @Override
    protected Map<String, String> startDestination() throws Exception {
        media = Files.createDirectories(work.resolve("removable-media"));
        return Map.of("destination", "file:" + media);
    }

    /** A restore on "the other site" reads backups from where the transfer put them. */
    @Override
    protected Map<String, String> appProperties() {
        return Map.of("tributary.backup.directory", media.toString());
    }

    @Override
    protected Path landed() {
        return media;
    }

    @Override
    protected String moreRoutes() {
        // a "directory" below a plain file: it cannot be created
        return templatedRoute("unwritable", Map.of("destination", "file:" + work.resolve("a-file/below")));
    }

    /** The seed's chain on one machine: the transferred copy is what a restore reads (tributary.backup.directory there). */
    @Test
    void aRestoreReadsTheTransferredBackup() throws Exception {
        TestBackup.write(backups, "chained", 3, seed.random());
        transfer("transfer", "chained");

        String result = app().bean("offlineJobs", OfflineJobs.class)
                .runRestore("{\"name\":\"chained\",\"target\":{\"database\":\"_system\",\"collection\":\"chained\"}}");

        JsonNode job = Json.MAPPER.readTree(result);
        assertThat(job.path("status").asText()).as(result).isEqualTo("succeeded");
        assertThat(app().bean("centralStore", CollectionStore.class).count("_system", "chained"))
                .isEqualTo(rowsOf(media.resolve("chained")));
    }

    private static long rowsOf(Path backup) throws Exception {
        long rows = 0;
        for (JsonNode p : Json.MAPPER.readTree(backup.resolve("manifest.json").toFile()).path("partitions")) {
            rows += p.path("rows").asLong();
        }
        return rows;
    }

    @Test
    void aDestinationThatCannotBeWrittenIsNamed() throws Exception {
        Files.writeString(work.resolve("a-file"), "not a directory");
        TestBackup.write(backups, "blocked", 1, seed.random());

        assertThat(failure("unwritable", "blocked"))
                .startsWith("destination directory " + work.resolve("a-file/below/blocked") + " cannot be created: ");
    }

    @Test
    void aCopyChangedAtTheDestinationIsSentAgain() throws Exception {
        TestBackup.write(backups, "tampered", 2, seed.random());
        transfer("transfer", "tampered");
        Path copy = media.resolve("tampered/partitions/p-000001.jsonl.gz");
        byte[] bytes = Files.readAllBytes(copy);
        bytes[5] ^= 1; // same size, other content: only its own checksum tells
        Files.write(copy, bytes);

        assertRun("transfer", "tampered", List.of("partitions/p-000001.jsonl.gz", "manifest.json"),
                List.of("partitions/p-000002.jsonl.gz"));
    }
}
