package io.tributary.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transfer to a directory on this machine (local disk, NFS mount, removable media). */
class BackupTransferLocalTest extends BackupTransferContract {

    private Path media;

    @Override
    protected Map<String, String> startDestination() throws Exception {
        media = Files.createDirectories(work.resolve("removable-media"));
        return Map.of("destination", "file:" + media);
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
