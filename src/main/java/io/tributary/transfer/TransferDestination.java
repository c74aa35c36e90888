package io.tributary.transfer;

import io.tributary.http.HiddenUserInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;

/**
 * The {@code destination} setting, {@code file:<directory>} or {@code sftp://user@host[:port]/<directory>},
 * turned into the camel-file / camel-ftp producer URI the transfer route writes with: each file under a
 * temporary name ({@code tempPrefix}) renamed when complete, an existing file replaced, missing
 * directories created. The backup lands in {@code <directory>/<name>/}.
 */
record TransferDestination(String scheme, String user, String host, int port, String directory) {

    /** Prefix of a file while it is written; a leftover from an interrupted run is overwritten by the next. */
    static final String TEMP_PREFIX = ".part-";

    static TransferDestination parse(String destination) {
        String d = destination == null ? "" : destination.strip();
        if (d.startsWith("file:")) {
            String dir = d.substring("file:".length()).replaceFirst("^//(?=/)", "");
            if (dir.isEmpty()) {
                throw new TransferException("destination 'file:' names no directory");
            }
            return new TransferDestination("file", null, null, 0, dir);
        }
        if (d.startsWith("sftp:")) {
            URI uri;
            try {
                uri = new URI(d);
            } catch (URISyntaxException e) {
                // neither the input nor the parser's message (which repeats it): a password may be in it
                throw new TransferException("destination 'sftp://...' is not a URI: " + e.getReason()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "")
                        + " (write sftp://user@host[:port]/directory, the password as a setting of its own)", e);
            }
            if (uri.getUserInfo() == null || uri.getUserInfo().isEmpty() || uri.getUserInfo().contains(":") || uri.getHost() == null) {
                // never echo a password written into the URI: the message goes to logs and terminals
                throw new TransferException("destination '" + HiddenUserInfo.hide(d) + "': write sftp://user@host[:port]/directory"
                        + " (the password is a setting of its own: the parameter password, --password-env on the command line)");
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            return new TransferDestination("sftp", uri.getUserInfo(), uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort(),
                    path.replaceFirst("/$", ""));
        }
        throw new TransferException("destination '" + HiddenUserInfo.hide(d) + "': write file:<directory> or sftp://user@host[:port]/<directory>");
    }

    boolean isSftp() {
        return scheme.equals("sftp");
    }

    /** For messages and the report: never with a password. */
    String describe() {
        return isSftp() ? "sftp://" + user + "@" + host + ":" + port + "/" + directory : "file:" + directory;
    }

    String hostAndPort() {
        return host + ":" + port;
    }

    String producerUri(String name, SftpSettings sftp) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("tempPrefix", TEMP_PREFIX);
        options.put("fileExist", "Override");
        options.put("autoCreate", "true");
        if (!isSftp()) {
            return "file:" + Path.of(directory, name) + "?" + query(options);
        }
        options.put("username", user);
        if (!sftp.password().isEmpty()) {
            // RAW: Camel takes the value as written (no URL decoding); RAW{} when the password holds a ')'
            options.put("password", sftp.password().contains(")") ? "RAW{" + sftp.password() + "}" : "RAW(" + sftp.password() + ")");
        }
        if (!sftp.privateKeyFile().isEmpty()) {
            options.put("privateKeyFile", sftp.privateKeyFile());
        }
        if (!sftp.knownHostsFile().isEmpty()) {
            options.put("knownHostsFile", sftp.knownHostsFile());
            options.put("useUserKnownHostsFile", "false");
        }
        options.put("strictHostKeyChecking", sftp.strictHostKeyChecking());
        options.put("connectTimeout", sftp.connectTimeout());
        options.put("binary", "true");
        // a failed login or unreachable host is reported at once, not after Camel's reconnect delays:
        // the next run resumes where this one stopped
        options.put("maximumReconnectAttempts", "0");
        // one session per file: a run leaves no session open behind it
        options.put("disconnect", "true");
        return "sftp://" + host + ":" + port + "/" + (directory.isEmpty() ? "" : directory + "/") + name + "?" + query(options);
    }

    Destination open(CamelContext context, String name, SftpSettings sftp) {
        return isSftp() ? new SftpDestination(context, producerUri(name, sftp), user, hostAndPort())
                : new LocalDestination(Path.of(directory, name));
    }

    private static String query(Map<String, String> options) {
        return options.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue().startsWith("RAW") ? e.getValue()
                        : URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
    }

    /** The SFTP login settings of the template (docs/offline.md, Transfer). */
    record SftpSettings(String password, String privateKeyFile, String knownHostsFile, String strictHostKeyChecking,
            String connectTimeout) {
    }
}
