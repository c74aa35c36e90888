package io.tributary.transfer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.component.file.remote.SftpRemoteFile;
import org.apache.camel.support.DefaultExchange;

/**
 * A directory on an SFTP server, looked at through the same camel-ftp endpoint the route writes with (one
 * session, one listing per directory). A partition counts as there when its size matches and its
 * {@code .sha256} sidecar holds the manifest's checksum, so a re-run downloads no partition; the small
 * manifest itself is read and hashed.
 */
final class SftpDestination implements Destination {

    private final CamelContext context;
    private final RemoteFileOperations<SftpRemoteFile> operations;
    private final String directory;
    private final Map<String, Long> sizes = new HashMap<>();

    @SuppressWarnings({"unchecked", "rawtypes"})
    SftpDestination(CamelContext context, String producerUri, String user, String where) {
        this.context = context;
        SftpEndpoint endpoint = context.getEndpoint(producerUri, SftpEndpoint.class);
        this.operations = endpoint.createRemoteFileOperations();
        this.directory = endpoint.getConfiguration().getDirectory();
        try {
            operations.connect(endpoint.getConfiguration(), new DefaultExchange(context));
        } catch (GenericFileOperationFailedException e) {
            throw explain(e, user, where);
        }
        list(directory, "");
        list(directory.isEmpty() ? "partitions" : directory + "/partitions", "partitions/");
    }

    private void list(String dir, String prefix) {
        try {
            for (SftpRemoteFile<?> f : operations.listFiles(dir)) {
                if (!f.isDirectory()) {
                    sizes.put(prefix + f.getFilename(), f.getFileLength());
                }
            }
        } catch (GenericFileOperationFailedException e) {
            // not there yet: every file is missing
        }
    }

    @Override
    public boolean holds(BackupFile file) {
        Long size = sizes.get(file.path());
        if (size == null || size != file.bytes()) {
            return false;
        }
        if (file.partition()) {
            String sidecar = file.sidecarPath();
            return sizes.containsKey(sidecar)
                    && new String(read(sidecar), StandardCharsets.UTF_8).strip().split("\\s+")[0].equalsIgnoreCase(file.sha256());
        }
        try {
            return BackupFiles.sha256(new ByteArrayInputStream(read(file.path()))).equalsIgnoreCase(file.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private byte[] read(String path) {
        Exchange exchange = new DefaultExchange(context);
        GenericFile<SftpRemoteFile> target = operations.newGenericFile();
        exchange.setProperty(FileComponent.FILE_EXCHANGE_FILE, target);
        String remote = directory.isEmpty() ? path : directory + "/" + path;
        try {
            operations.retrieveFile(remote, exchange, sizes.get(path));
            return context.getTypeConverter().mandatoryConvertTo(byte[].class, exchange, target.getBody());
        } catch (Exception e) {
            return new byte[0]; // unreadable there: send it again
        } finally {
            operations.releaseRetrievedFileResources(exchange);
        }
    }

    @Override
    public void withdrawManifest() {
        if (sizes.containsKey(BackupFiles.MANIFEST)) {
            String remote = directory.isEmpty() ? BackupFiles.MANIFEST : directory + "/" + BackupFiles.MANIFEST;
            try {
                operations.deleteFile(remote);
            } catch (GenericFileOperationFailedException e) {
                throw new TransferException("cannot remove the old " + remote + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        try {
            operations.disconnect();
        } catch (GenericFileOperationFailedException e) {
            // the listing is done; a failed goodbye changes nothing
        }
    }

    /** camel-ftp reports "Cannot connect to sftp://..." with JSch's reason inside: say which one it was. */
    static TransferException explain(Throwable e, String user, String where) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.startsWith("Auth fail") || m.startsWith("Auth cancel")) {
                return new TransferException("SFTP login refused for user " + user + " at " + where, e);
            }
            if (m.contains("HostKey") || m.contains("hostkey")) {
                return new TransferException("SFTP host key of " + where + " not accepted (knownHostsFile, strictHostKeyChecking): " + m, e);
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException
                    || c instanceof SocketTimeoutException) {
                return new TransferException("SFTP server " + where + " unreachable: " + c, e);
            }
        }
        return new TransferException("SFTP connection to " + where + " failed: " + e.getMessage(), e);
    }
}
