package io.tributary.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory on this machine (local disk, NFS mount, removable media): compares the files' own SHA-256. */
final class LocalDestination implements Destination {

    private final Path directory;

    LocalDestination(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new TransferException("destination directory " + directory + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new TransferException("destination directory " + directory + " is not writable");
        }
    }

    @Override
    public boolean holds(BackupFile file) {
        Path copy = directory.resolve(file.path());
        try {
            return Files.isRegularFile(copy) && Files.size(copy) == file.bytes()
                    && BackupFiles.sha256(copy).equalsIgnoreCase(file.sha256());
        } catch (IOException e) {
            return false; // unreadable there: send it again
        }
    }

    @Override
    public void withdrawManifest() {
        try {
            Files.deleteIfExists(directory.resolve(BackupFiles.MANIFEST));
        } catch (IOException e) {
            throw new TransferException("cannot remove the old " + BackupFiles.MANIFEST + " in " + directory + ": " + e, e);
        }
    }

    @Override
    public void close() {
    }
}
