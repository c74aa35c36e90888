package io.tributary.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server (Apache MINA SSHD) on 127.0.0.1: password login, an EC host key, the given directory
 * as its root. {@link #failWritesTo} makes writes to matching files fail, as a full disk would.
 */
final class TestSftpServer implements AutoCloseable {

    static final String USER = "site-b";
    static final String PASSWORD = "s3cret-Pa55";

    private final SshServer server;
    private final String knownHostsLine;
    private final AtomicReference<String> failing = new AtomicReference<>();
    private final AtomicReference<PublicKey> clientKey = new AtomicReference<>();
    private final AtomicReference<Hold> hold = new AtomicReference<>();

    /** A write held inside the server: {@code reached} when it arrives, failed once {@code released}. */
    record Hold(String name, CountDownLatch reached, CountDownLatch released) {
    }

    TestSftpServer(Path root, Path work) {
        try {
            server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(work.resolve("hostkey"));
            keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
            server.setKeyPairProvider(keys);
            server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
            server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && key.equals(clientKey.get()));
            SftpSubsystemFactory sftp = new SftpSubsystemFactory();
            sftp.addSftpEventListener(new SftpEventListener() {
                @Override
                public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
                        int dataOffset, int dataLen) throws IOException {
                    String file = localHandle.getFile().getFileName().toString();
                    String name = failing.get();
                    if (name != null && file.contains(name)) {
                        throw new IOException("No space left on device (simulated)");
                    }
                    Hold held = hold.get();
                    if (held != null && file.contains(held.name())) {
                        held.reached().countDown();
                        try {
                            held.released().await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new IOException("connection lost (simulated)");
                    }
                }
            });
            server.setSubsystemFactories(List.of(sftp));
            server.setFileSystemFactory(new VirtualFileSystemFactory(root));
            server.start();
            KeyPair key = keys.loadKeys(null).iterator().next();
            knownHostsLine = "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key.getPublic());
        } catch (Exception e) {
            throw new IllegalStateException("SFTP test server did not start: " + e, e);
        }
    }

    int port() {
        return server.getPort();
    }

    Path knownHosts(Path dir) {
        try {
            return Files.writeString(dir.resolve("known_hosts"), knownHostsLine + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new client key pair the server accepts for {@link #USER}: its private key file, OpenSSH format, no passphrase. */
    Path clientKey(Path dir) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair pair = generator.generateKeyPair();
            clientKey.set(pair.getPublic());
            Path file = dir.resolve("id_ecdsa");
            try (OutputStream out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "tributary-test", null, out);
            }
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** From now on, the first write to a file whose name contains {@code part} waits in the server until released. */
    Hold holdWritesTo(String part) {
        Hold h = new Hold(part, new CountDownLatch(1), new CountDownLatch(1));
        hold.set(h);
        return h;
    }

    void release(Hold h) {
        hold.compareAndSet(h, null);
        h.released().countDown();
    }

    /** Writes to files whose name contains {@code part} fail from now on; null = none. */
    void failWritesTo(String part) {
        failing.set(part);
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
