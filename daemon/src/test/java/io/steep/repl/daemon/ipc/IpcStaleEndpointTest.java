package io.steep.repl.daemon.ipc;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.DisabledOnOs;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.EndpointInUseException;
import io.steep.repl.ipc.transport.EndpointRefusedException;
import io.steep.repl.ipc.transport.IpcEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting on a path that is taken: by a live daemon, by the corpse of a kill -9'd one, by something else. */
@Timeout(180)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "stale and foreign socket files at the path are a unix socket matter; a named pipe vanishes with its server")
class IpcStaleEndpointTest {

    @TempDir
    Path tmp;

    private static IpcServer newServer(Path sock) {
        EventBroadcaster events = new EventBroadcaster();
        return new IpcServer(IpcEndpoint.of(sock.toString(), AccessPolicy.OWNER_ONLY),
                Fixtures.standard(Fixtures.unreachableDataSource(), events), events, IpcServerOptions.defaults());
    }

    private static Process spawnChild(Path sock) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, ChildServerMain.class.getName(), sock.toString())
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = r.readLine()) != null && !line.equals("READY")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as("child output:\n" + seen).isEqualTo("READY");
        Thread.ofVirtual().start(() -> {
            try {
                r.transferTo(java.io.Writer.nullWriter());
            } catch (Exception ignored) {
                // child killed
            }
        });
        return p;
    }

    @Test
    void aLiveDaemonIsNeverReplacedAndItsKill9CorpseIs() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("steep-repl.sock");
        Process child = spawnChild(sock);
        try {
            IpcServer second = newServer(sock);
            assertThatThrownBy(second::start).isInstanceOf(EndpointInUseException.class)
                    .hasMessageContaining("another steep-repl daemon is already listening on " + sock);
            try (IpcClient c = IpcClient.connect(IpcEndpoint.of(sock.toString()), Duration.ofSeconds(10))) {
                assertThat(c.call(IpcMethods.STATUS_GET, null, Duration.ofSeconds(10)).path("state").asText()).isEqualTo("running");
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, the socket file stays behind
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(Files.exists(sock, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("stale socket left by kill -9").isTrue();

        try (IpcServer after = newServer(sock)) {
            after.start();
            try (IpcClient c = IpcClient.connect(IpcEndpoint.of(sock.toString()), Duration.ofSeconds(10))) {
                assertThat(c.call(IpcMethods.STATUS_GET, null, Duration.ofSeconds(10)).path("pid").asInt()).isEqualTo(4242);
            }
        }
    }

    @Test
    void aRegularFileOrSymlinkAtThePathIsRefusedAndLeftAlone() throws Exception {
        Path sock = tmp.resolve("steep-repl").resolve("steep-repl.sock");
        Files.createDirectories(sock.getParent());
        Files.writeString(sock, "not a socket");
        assertThatThrownBy(() -> newServer(sock).start()).isInstanceOf(EndpointRefusedException.class)
                .hasMessageContaining(sock + " is a regular file, not a socket").hasMessageContaining("will not remove it");
        assertThat(Files.readString(sock)).isEqualTo("not a socket");

        Files.delete(sock);
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere"), "victim");
        Files.createSymbolicLink(sock, elsewhere);
        assertThatThrownBy(() -> newServer(sock).start()).isInstanceOf(EndpointRefusedException.class)
                .hasMessageContaining("symbolic link");
        assertThat(Files.readString(elsewhere)).isEqualTo("victim");
    }
}
