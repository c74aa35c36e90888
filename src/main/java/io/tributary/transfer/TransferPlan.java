package io.tributary.transfer;

import java.util.List;

/**
 * What one run sends: the files the destination lacks or holds with another checksum, in sending order
 * (partitions first, the manifest last), and the files it skips. The route sends {@link #toSend()};
 * the run either sends them all or fails, so the report is known once the route has finished.
 */
public record TransferPlan(String backup, String destination, String producerUri, List<BackupFile> toSend,
        List<BackupFile> skipped) {

    public TransferReport report() {
        return new TransferReport(backup, destination, toSend.stream().map(BackupFile::path).toList(),
                skipped.stream().map(BackupFile::path).toList(), toSend.stream().mapToLong(BackupFile::bytes).sum());
    }

    /** Without the producer URI: it may carry the SFTP password. */
    @Override
    public String toString() {
        return "TransferPlan[" + backup + " to " + destination + ": send " + toSend.size() + ", skip " + skipped.size() + "]";
    }
}
