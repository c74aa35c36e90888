package io.tributary.transfer;

import java.nio.file.Path;

/**
 * One file of a complete backup: its path inside the backup directory ({@code partitions/p-000001.jsonl.zst},
 * {@code manifest.json}), where it is on this disk, and what the manifest says it holds.
 */
public record BackupFile(String path, Path source, long bytes, String sha256, boolean partition) {

    /** The partition's checksum file next to it at the destination; the manifest has none (it is sent last). */
    public String sidecarPath() {
        return partition ? path + ".sha256" : null;
    }

    /** Its text, as {@code sha256sum} writes and {@code sha256sum -c} reads it. */
    public String sidecar() {
        return sha256 + "  " + path.substring(path.lastIndexOf('/') + 1) + "\n";
    }
}
