package io.steep.repl.ipc.transport;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the daemon listens on a named pipe on Windows (PipeSecurityTest); unix socket file modes are POSIX")
class UnixSocketEndpointTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void createsAPrivateDirectoryAndSocketAndRemovesItOnClose() throws Exception {
        Path sock = tmp.resolve("run").resolve("steep-repl").resolve("steep-repl.sock");
        UnixSocketEndpoint ep = UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY);
        try (IpcListener l = ep.listen()) {
            assertThat(mode(sock.getParent())).isEqualTo("rwx------");
            assertThat(mode(sock)).isEqualTo("rw-------");
            // no temporary bind directory left behind
            try (var s = Files.list(sock.getParent())) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("steep-repl.sock", "steep-repl.sock.lock");
            }
            // a connection is admitted (we are the daemon's own user) and carries data both ways
            Thread.ofVirtual().start(() -> {
                try (IpcConnection server = l.accept()) {
                    assertThat(server.peer().privileged()).isTrue();
                    server.output().write(server.input().readNBytes(3));
                    server.output().flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (IpcConnection c = ep.connect(Duration.ofSeconds(5))) {
                OutputStream out = c.output();
                out.write("hey".getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = c.input();
                assertThat(new String(in.readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("hey");
            }
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "group users with gid 100 is a Linux (Debian) convention; macOS has none")
    void withAnAllowedGroupTheDirectoryIs0750AndTheSocket0660OwnedByTheGroup() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("s.sock");
        try (IpcListener l = UnixSocketEndpoint.of(sock.toString(), AccessPolicy.allowingGroup("users")).listen()) {
            assertThat(mode(sock.getParent())).isEqualTo("rwxr-x---");
            assertThat(mode(sock)).isEqualTo("rw-rw----");
            assertThat(Files.getAttribute(sock, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(100);
            assertThat(Files.getAttribute(sock.getParent(), "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(100);
        }
    }

    @Test
    void anExistingDedicatedDirectoryIsTightened() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("steep-repl"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (IpcListener l = UnixSocketEndpoint.of(dir.resolve("s.sock").toString(), AccessPolicy.OWNER_ONLY).listen()) {
            assertThat(mode(dir)).isEqualTo("rwx------");
        }
    }

    @Test
    void anUnknownGroupIsRefusedWithTheFix() {
        Path sock = tmp.resolve("steep-repl").resolve("s.sock");
        assertThatThrownBy(() -> UnixSocketEndpoint.of(sock.toString(), AccessPolicy.allowingGroup("no-such-group-xyz")).listen())
                .isInstanceOf(EndpointRefusedException.class)
                .hasMessageContaining("no-such-group-xyz").hasMessageContaining("does not exist");
    }

    @Test
    void aSecondListenerOnALiveSocketIsRefusedSayingAnotherDaemonRuns() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("s.sock");
        try (IpcListener first = UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY).listen()) {
            Thread.ofVirtual().start(() -> {
                try {
                    first.accept().close();
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            assertThatThrownBy(() -> UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY).listen())
                    .isInstanceOf(EndpointInUseException.class)
                    .hasMessageContaining("another steep-repl daemon").hasMessageContaining(sock.toString());
            assertThat(sock).exists();
        }
    }

    @Test
    void aDeadSocketIsRemovedAndReplaced() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("s.sock");
        Files.createDirectories(sock.getParent());
        AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance();
        dead.setDeleteOnClose(false);
        dead.bind(AFUNIXSocketAddress.of(sock));
        dead.close();
        assertThat(sock).exists();
        try (IpcListener l = UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY).listen()) {
            assertThat(mode(sock)).isEqualTo("rw-------");
        }
    }

    @Test
    void aRegularFileAtThePathIsRefusedAndKept() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("s.sock");
        Files.createDirectories(sock.getParent());
        Files.writeString(sock, "precious");
        assertThatThrownBy(() -> UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY).listen())
                .isInstanceOf(EndpointRefusedException.class)
                .hasMessageContaining("is a regular file, not a socket").hasMessageContaining("ipc.path");
        assertThat(Files.readString(sock)).isEqualTo("precious");
    }

    @Test
    void aSymlinkAtThePathIsRefusedAndKept() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("s.sock");
        Files.createDirectories(sock.getParent());
        Path target = Files.writeString(tmp.resolve("target"), "x");
        Files.createSymbolicLink(sock, target);
        assertThatThrownBy(() -> UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY).listen())
                .isInstanceOf(EndpointRefusedException.class).hasMessageContaining("symbolic link");
        assertThat(Files.isSymbolicLink(sock)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("x");
    }

    @Test
    void aWorldWritableNonStickyDirectoryIsRefused() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> UnixSocketEndpoint.of(dir.resolve("s.sock").toString(), AccessPolicy.OWNER_ONLY).listen())
                .isInstanceOf(EndpointRefusedException.class).hasMessageContaining("writable by others");
    }

    @Test
    void clientsGetAnActionableMessageWhenNoDaemonListens() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("s.sock");
        assertThatThrownBy(() -> UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY).connect(Duration.ofSeconds(1)))
                .isInstanceOf(EndpointUnavailableException.class).hasMessageContaining("does not exist").hasMessageContaining("Start the daemon");
        Files.createDirectories(sock.getParent());
        AFUNIXServerSocket dead = AFUNIXServerSocket.newInstance();
        dead.setDeleteOnClose(false);
        dead.bind(AFUNIXSocketAddress.of(sock));
        dead.close();
        assertThatThrownBy(() -> UnixSocketEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY).connect(Duration.ofSeconds(1)))
                .isInstanceOf(EndpointUnavailableException.class).hasMessageContaining("not running");
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc/PID/status, which macOS does not have")
    void supplementaryGroupsOfALinuxProcessAreRead() {
        long self = ProcessHandle.current().pid();
        // root in this test JVM: Groups: line exists (maybe empty); a non-existent pid gives none
        assertThat(UnixSocketEndpoint.procGroups(self)).isNotNull();
        assertThat(UnixSocketEndpoint.procGroups(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void tooLongPathsAreRefusedUpFront() {
        assertThatThrownBy(() -> UnixSocketEndpoint.of("/" + "x".repeat(120), AccessPolicy.OWNER_ONLY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
    }
}
