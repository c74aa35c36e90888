package io.tributary.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import io.tributary.offline.BackupManifest;
import io.tributary.testing.TributaryApp;
import io.tributary.testing.TributaryProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Transfer to a real SFTP server (Apache MINA SSHD) started by the test: password login, known host key. */
class BackupTransferSftpTest extends BackupTransferCases {

    private Path serverRoot;
    private TestSftpServer server;
    private Path knownHosts;
    private Path privateKey;

    @Override
    protected Map<String, String> startDestination() {
        try {
            serverRoot = Files.createDirectories(work.resolve("sftp-root"));
            server = new TestSftpServer(serverRoot, work);
            knownHosts = server.knownHosts(work);
            privateKey = server.clientKey(work);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("destination", destination(), "password", TestSftpServer.PASSWORD, "knownHostsFile", knownHosts.toString());
    }

    private String destination() {
        return "sftp://" + TestSftpServer.USER + "@127.0.0.1:" + server.port() + "/incoming";
    }

    @Override
    protected Path landed() {
        return serverRoot.resolve("incoming");
    }

    @Override
    protected String moreRoutes() {
        Path otherKey = work.resolve("other_known_hosts");
        try {
            Files.writeString(otherKey, "[127.0.0.1]:" + server.port()
                    + " ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int closed = TributaryApp.freePort();
        return templatedRoute("wrong-password", Map.of("destination", destination(), "password", "not-" + TestSftpServer.PASSWORD,
                "knownHostsFile", knownHosts.toString()))
                + templatedRoute("private-key", Map.of("destination", destination(), "privateKeyFile", privateKey.toString(),
                        "knownHostsFile", knownHosts.toString()))
                + templatedRoute("unknown-host-key", Map.of("destination", destination(), "password", TestSftpServer.PASSWORD,
                        "knownHostsFile", otherKey.toString()))
                + templatedRoute("no-server", Map.of("destination", "sftp://" + TestSftpServer.USER + "@127.0.0.1:" + closed + "/incoming",
                        "password", TestSftpServer.PASSWORD, "knownHostsFile", knownHosts.toString(), "connectTimeout", "2000"));
    }

    @Override
    protected void stopDestination() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWrongPasswordIsRefusedClearlyAndNeverLogged() {
        TestBackup.write(backups, "refused", 1, seed.random());

        assertThat(failure("wrong-password", "refused"))
                .isEqualTo("SFTP login refused for user site-b at 127.0.0.1:" + server.port());
        assertThat(landed().resolve("refused")).doesNotExist();
        assertThat(logs.events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .isEqualTo("transfer failed: SFTP login refused for user site-b at 127.0.0.1:" + server.port()));
        assertThat(logs.events()).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(TestSftpServer.PASSWORD));
    }

    /**
     * kill -9 of the process sending, while the server holds its write of partition 2: partition 1 and its
     * sidecar are there, a temporary file perhaps, no manifest; a re-run sends the rest.
     */
    @Test
    void aTransferKilledMidFileResumesInTheNextRun() throws Exception {
        TestBackup.write(backups, "killed", 3, seed.random());
        Path routes = Files.createDirectories(work.resolve("killed-routes"));
        Files.writeString(routes.resolve("once.camel.yaml"), templatedRoute("once", Map.of("trigger", "timer:once?repeatCount=1",
                "name", "killed", "destination", destination(), "password", TestSftpServer.PASSWORD,
                "knownHostsFile", knownHosts.toString())));
        TestSftpServer.Hold hold = server.holdWritesTo("p-000002");
        try (TributaryProcess sender = TributaryProcess.builder("transfer-killed").logDir(work.resolve("logs"))
                .routes("file:routes/backup-transfer-template.camel.yaml", "file:" + routes + "/*.yaml")
                .property("camel.server.port", String.valueOf(TributaryApp.freePort()))
                .start()) {
            assertThat(hold.reached().await(60, TimeUnit.SECONDS)).as("the write of partition 2 reached the server").isTrue();
            sender.kill();
            sender.awaitExit(Duration.ofSeconds(30));
        } finally {
            server.release(hold);
        }
        assertThat(landed().resolve("killed/partitions/p-000001.jsonl.gz.sha256")).exists();
        assertThat(landed().resolve("killed/manifest.json")).doesNotExist();
        // what a restore there says (it reads the manifest first)
        assertThatThrownBy(() -> BackupManifest.read(landed().resolve("killed")))
                .hasMessage("not a backup: " + landed().resolve("killed/manifest.json") + " is missing");

        assertRun("transfer", "killed", List.of("partitions/p-000002.jsonl.gz", "partitions/p-000003.jsonl.gz", "manifest.json"),
                List.of("partitions/p-000001.jsonl.gz"));
    }

    @Test
    void aPrivateKeyLogsInWithoutPassword() {
        TestBackup.write(backups, "keyed", 2, seed.random());

        assertRun("private-key", "keyed", List.of("partitions/p-000001.jsonl.gz", "partitions/p-000002.jsonl.gz", "manifest.json"), List.of());
        assertRun("private-key", "keyed", List.of(), List.of("partitions/p-000001.jsonl.gz", "partitions/p-000002.jsonl.gz", "manifest.json"));
    }

    @Test
    void anUnknownHostKeyAndAnUnreachableServerAreNamed() {
        TestBackup.write(backups, "nowhere", 1, seed.random());

        assertThat(failure("unknown-host-key", "nowhere")).startsWith("SFTP host key of 127.0.0.1:" + server.port() + " not accepted");
        assertThat(failure("no-server", "nowhere")).startsWith("SFTP server 127.0.0.1:").contains(" unreachable: ");
    }

    @Test
    void aTransferInterruptedByTheServerResumesWithTheInterruptedFile() {
        TestBackup.write(backups, "interrupted", 3, seed.random());
        server.failWritesTo("p-000002");
        try {
            assertThat(failure("transfer", "interrupted")).startsWith("transfer to " + destination().replace("@127.0.0.1:", "@127.0.0.1:")
                    + " failed writing partitions/p-000002.jsonl.gz: ")
                    .contains("Cannot store file: incoming/interrupted/partitions/.part-p-000002.jsonl.gz");
        } finally {
            server.failWritesTo(null);
        }
        assertThat(landed().resolve("interrupted/manifest.json")).doesNotExist();
        assertThat(landed().resolve("interrupted/partitions/p-000001.jsonl.gz.sha256")).exists();

        assertRun("transfer", "interrupted", List.of("partitions/p-000002.jsonl.gz", "partitions/p-000003.jsonl.gz", "manifest.json"),
                List.of("partitions/p-000001.jsonl.gz"));
    }
}
