package io.steep.repl.daemon.ipc;

import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.condition.EnabledOnOs;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.ipc.transport.UnixSocketEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may connect, proven with a client that really runs as another uid (setpriv as nobody). The socket and its
 * directory are made world-accessible on purpose, so a refusal can only come from the peer-credential check.
 */
@Timeout(180)
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs a client as another uid with setpriv and reads supplementary groups from /proc")
class IpcPeerCredentialsTest {

    private static final int NOBODY = 65534;
    private static final int USERS_GID = 100;

    private Path dir;
    private Path probe;
    private IpcServer server;
    private ListAppender<ILoggingEvent> logs;
    private Logger transportLogger;

    @BeforeEach
    void setUp() throws Exception {
        // under /tmp: the test's own temp dirs sit below /root or target/, which nobody cannot traverse
        dir = Files.createTempDirectory(Path.of("/tmp"), "steep-peer-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        probe = dir.resolve("PeerProbe.java");
        try (InputStream in = getClass().getResourceAsStream("/ipc/PeerProbe.java")) {
            Files.write(probe, in.readAllBytes());
        }
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
        transportLogger = (Logger) LoggerFactory.getLogger(UnixSocketEndpoint.class);
        logs = new ListAppender<>();
        logs.start();
        transportLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        transportLogger.detachAppender(logs);
        if (server != null) {
            server.close();
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void startServer(AccessPolicy policy) throws Exception {
        EventBroadcaster events = new EventBroadcaster();
        server = new IpcServer(IpcEndpoint.of(dir.resolve("ipc.sock").toString(), policy),
                Fixtures.standard(Fixtures.unreachableDataSource(), events), events, IpcServerOptions.defaults());
        server.start();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    /** Runs PeerProbe as nobody with the given group options; returns its output. */
    private String probeAsNobody(List<String> groupArgs, String... methods) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY));
        cmd.addAll(groupArgs);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xshare:auto",
                probe.toString(), dir.resolve("ipc.sock").toString()));
        cmd.addAll(List.of(methods));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aClientOfAnotherUidIsClosedWithoutAReplyAndLogged() throws Exception {
        startServer(AccessPolicy.OWNER_ONLY);
        // deliberately open file modes: only the credential check stands between nobody and the daemon
        run("chmod", "0666", dir.resolve("ipc.sock").toString());

        String out = probeAsNobody(List.of("--clear-groups"), "status.get");

        assertThat(out).doesNotContain("CONNECT-FAILED").doesNotContain("LINE").contains("EOF");
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("IPC connection refused").contains("uid=" + NOBODY).contains("pid="));
    }

    @Test
    void aMemberOfTheAllowedGroupThroughASupplementaryGroupIsServedButNotPrivileged() throws Exception {
        startServer(AccessPolicy.allowingGroup("users"));
        assertThat(Files.getAttribute(dir.resolve("ipc.sock"), "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS)).isEqualTo(USERS_GID);

        // primary group nobody, supplementary group users: admitted only via /proc/PID/status Groups
        String member = probeAsNobody(List.of("--groups=" + USERS_GID), "status.get", "service.install");
        assertThat(member).contains("\"state\":\"running\"");
        assertThat(member).contains("\"id\":\"2\"").contains("PERMISSION_DENIED").contains("service.install");
        assertThat(member).contains("DONE");

        // root (this JVM) may run privileged methods: it gets past the permission check (a dry run changes nothing)
        try (RawClient root = RawClient.connect(dir.resolve("ipc.sock"))) {
            assertThat(root.send("{\"id\":\"r\",\"method\":\"service.install\",\"params\":{\"dry_run\":true}}\n").read()
                    .at("/result/plan").asText()).contains("install steep-repl");
        }

        // same uid without the group: refused by credentials even with the socket opened up
        run("chmod", "0666", dir.resolve("ipc.sock").toString());
        String outsider = probeAsNobody(List.of("--clear-groups"), "status.get");
        assertThat(outsider).doesNotContain("LINE").contains("EOF");
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("uid=" + NOBODY).contains("member of group users"));
    }
}
