package io.tributary.transfer;

import java.util.List;

/** The result of a transfer run: the files sent and skipped (paths inside the backup) and the bytes sent. */
public record TransferReport(String backup, String destination, List<String> sent, List<String> skipped, long bytes) {

    /** The one line the route logs. */
    public String summary() {
        return "backup " + backup + " to " + destination + ": sent " + sent.size() + " files (" + bytes + " bytes), skipped "
                + skipped.size() + (sent.isEmpty() ? " (already there)" : "");
    }
}
