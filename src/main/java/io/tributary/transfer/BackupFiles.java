package io.tributary.transfer;

import io.tributary.offline.BackupManifest;
import io.tributary.offline.RestoreSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The files of one complete backup ({@code <root>/<name>/}, docs/offline.md), checked against its manifest
 * before anything is sent: a backup that does not match its manifest is never copied elsewhere.
 * The partition files come first, in manifest order, and the manifest last.
 */
public final class BackupFiles {

    static final String MANIFEST = BackupManifest.FILE;

    private BackupFiles() {
    }

    public static List<BackupFile> verified(Path root, String name) {
        if (name == null || !RestoreSpec.NAME.matcher(name).matches() || name.contains("..")) {
            throw new TransferException("backup name '" + name + "' is not a single path segment [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
        }
        Path dir = root.resolve(name);
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            boolean partial = Files.isDirectory(root.resolve("." + name + ".partial"));
            throw new TransferException("no complete backup " + name + " in " + root.toAbsolutePath().normalize()
                    + (partial ? " (it is still being written: ." + name + ".partial)" : " (no " + name + "/" + MANIFEST + ")"));
        }
        BackupManifest m;
        try {
            m = BackupManifest.read(dir);
        } catch (IllegalArgumentException e) {
            throw new TransferException("backup " + name + " is not sent: " + e.getMessage(), e);
        }
        List<BackupFile> files = new ArrayList<>();
        for (BackupManifest.Partition p : m.partitions()) {
            String path = String.valueOf(p.file());
            Path file = dir.resolve(path).normalize();
            if (!file.startsWith(dir) || path.isEmpty()) {
                throw new TransferException("backup " + name + ": partition file '" + path + "' is outside the backup");
            }
            check(name, path, file, p.bytes(), p.sha256());
            files.add(new BackupFile(path, file, p.bytes(), p.sha256(), true));
        }
        try {
            files.add(new BackupFile(MANIFEST, manifest, Files.size(manifest), sha256(manifest), false));
        } catch (IOException e) {
            throw new TransferException("backup " + name + ": cannot read " + MANIFEST + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static void check(String name, String path, Path file, long bytes, String sha256) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new TransferException("backup " + name + " is not sent: " + path + " is missing");
            }
            long size = Files.size(file);
            if (size != bytes) {
                throw new TransferException("backup " + name + " is not sent: " + path + " has " + size
                        + " bytes, the manifest says " + bytes);
            }
            if (!sha256(file).equalsIgnoreCase(sha256)) {
                throw new TransferException("backup " + name + " is not sent: the SHA-256 of " + path
                        + " differs from the manifest's");
            }
        } catch (IOException e) {
            throw new TransferException("backup " + name + " is not sent: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        return sha256(Files.newInputStream(file));
    }

    /** Hex SHA-256 of what the stream holds; closes it. */
    static String sha256(InputStream bytes) throws IOException {
        try (DigestInputStream in = new DigestInputStream(bytes, digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
