package io.tributary.transfer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planning step of the transfer route ({@code routes/backup-transfer-template.camel.yaml}): checks the
 * local backup against its manifest, looks at what the destination already holds, and says which files
 * to send, like {@code rsync -av}: a file is skipped when the destination's copy has the manifest's
 * size and SHA-256. Sending itself is the route's camel-file / camel-ftp producer.
 */
public final class BackupTransfer {

    /** Header naming the backup to send when the template's {@code name} is empty (set by a backup step before). */
    public static final String NAME_HEADER = "TributaryBackupName";
    private static final Logger LOG = LoggerFactory.getLogger("io.tributary.transfer");

    private final Path backupDirectory;
    private final String name;
    private final TransferDestination destination;
    private final TransferDestination.SftpSettings sftp;

    public BackupTransfer(Map<String, Object> parameters) {
        this.backupDirectory = Path.of(text(parameters, "backupDirectory"));
        this.name = text(parameters, "name");
        this.destination = TransferDestination.parse(text(parameters, "destination"));
        this.sftp = new TransferDestination.SftpSettings(text(parameters, "password"), text(parameters, "privateKeyFile"),
                text(parameters, "knownHostsFile"), text(parameters, "strictHostKeyChecking"), text(parameters, "connectTimeout"));
    }

    private static String text(Map<String, Object> parameters, String key) {
        Object value = parameters.get(key);
        return value == null ? "" : value.toString().strip();
    }

    /** Body: the plan; the route sends {@code body.toSend} with {@code body.producerUri}. */
    public TransferPlan plan(Exchange exchange) {
        String backup = name.isEmpty() ? exchange.getMessage().getHeader(NAME_HEADER, String.class) : name;
        if (backup == null || backup.isBlank()) {
            throw new TransferException("no backup to transfer: set the template parameter name or the header " + NAME_HEADER);
        }
        List<BackupFile> files = BackupFiles.verified(backupDirectory, backup);
        List<BackupFile> toSend = new ArrayList<>();
        List<BackupFile> skipped = new ArrayList<>();
        try (Destination there = destination.open(exchange.getContext(), backup, sftp)) {
            for (BackupFile file : files) {
                // the manifest (last) is sent again whenever anything else is: it is withdrawn first
                boolean sendManifest = file.path().equals(BackupFiles.MANIFEST) && !toSend.isEmpty();
                (!sendManifest && there.holds(file) ? skipped : toSend).add(file);
            }
            if (!toSend.isEmpty()) {
                there.withdrawManifest();
            }
        }
        return new TransferPlan(backup, destination.describe() + "/" + backup, destination.producerUri(backup, sftp), toSend, skipped);
    }

    /**
     * Throws what a failed send means for an operator, naming the file and the destination (never the
     * password). The route calls it from the doCatch around each file, where the file name is known.
     */
    public void explain(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof TransferException t) {
                throw t; // already says what happened (the split wraps it)
            }
        }
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME, String.class);
        if (destination.isSftp()) {
            TransferException explained = SftpDestination.explain(e, destination.user(), destination.hostAndPort());
            if (!explained.getMessage().startsWith("SFTP connection to")) {
                throw explained;
            }
        }
        throw new TransferException("transfer to " + destination.describe() + " failed" + (file == null ? "" : " writing " + file)
                + ": " + reason(e), e);
    }

    /** The exception's message, and its root cause's when that says more (camel-ftp: "Cannot store file: x"). */
    private static String reason(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e || root.getMessage() == null || e.getMessage().contains(root.getMessage()) ? e.getMessage()
                : e.getMessage() + " (" + root.getMessage() + ")";
    }

    /** The route's last word on a failed run: one WARN line (a scheduled run has no caller), then the error. */
    public void failed(Exchange exchange) {
        try {
            explain(exchange);
        } catch (TransferException e) {
            LOG.warn("transfer failed: {}", e.getMessage());
            throw e;
        }
    }
}
