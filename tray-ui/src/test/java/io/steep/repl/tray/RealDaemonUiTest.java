package io.steep.repl.tray;

import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import io.steep.repl.tray.connection.IpcClientLink;
import io.steep.repl.tray.connection.NodeRow;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tray against the real thing: the assembled {@code steep-repl} daemon (a child process, so no daemon code on
 * the tray's class path) on a real unix socket, on real PostgreSQL 18 with the steep_repl extension. Needs the
 * daemon distribution built first (the full reactor build does that before tray-ui's tests run).
 */
@ExtendWith({RealPostgres.class, ApplicationExtension.class})
class RealDaemonUiTest {

    static final Path DIST = Path.of(System.getProperty("steep.daemon.dist.dir", "../daemon/target/steep-repl"));

    Path dir;
    Path config;
    Path socket;
    Process daemon;
    TrayApp app;

    @BeforeEach
    void startDaemonAndTray(PgServer pg) throws Exception {
        assumeTrue(Files.isExecutable(DIST.resolve("bin/steep-repl")),
                "daemon distribution missing at " + DIST + ": build it with ./mvnw -pl shared-proto,extension,daemon package");
        String db = pg.createDatabase("tray_real");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION steep_repl");
        }
        dir = Files.createTempDirectory("steep-tray-real");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        socket = dir.resolve("ipc.sock");
        config = dir.resolve("config.yaml");
        Files.writeString(config, """
                repl:
                  node_id: tray-node
                  node_name: Tray Test Node
                  postgresql:
                    host: %s
                    port: %d
                    database: %s
                    user: %s
                    sslmode: disable
                    pool_size: 2
                  grpc:
                    bind: 127.0.0.1
                    port: %d
                    tls: {insecure: true}
                  http:
                    bind: 127.0.0.1
                    port: %d
                  ipc:
                    path: %s
                  audit:
                    spool_dir: %s
                """.formatted(pg.host(), pg.port(), db, pg.superuser(), freePort(), freePort(), socket, dir.resolve("spool")));
        daemon = startDaemon();
        awaitSocket();
        FxToolkit.setupFixture(() -> {
            app = new TrayApp();
            app.start(IpcClientLink.opener(IpcEndpoint.of(socket.toString())), true, null);
        });
    }

    void awaitSocket() throws Exception {
        for (int i = 0; i < 300 && !Files.exists(socket); i++) {
            assertThat(daemon.isAlive()).as("daemon running (log: %s)", dir.resolve("daemon.log")).isTrue();
            Thread.sleep(100);
        }
        assertThat(socket).as("IPC socket of the daemon (log: %s)", dir.resolve("daemon.log")).exists();
    }

    Process startDaemon() throws IOException {
        return new ProcessBuilder(DIST.resolve("bin/steep-repl").toString(), "run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()))
                .start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (app != null) {
            app.connection().close();
        }
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        FxToolkit.cleanupStages();
    }

    @Test
    void showsTheRealDaemonAndFollowsItThroughAKill(FxRobot robot) throws Exception {
        waitFx("status from the real daemon (log: " + dir.resolve("daemon.log") + ")", () -> text(robot, "#daemonVersion").contains("running"));
        assertThat(text(robot, "#postgresql")).startsWith("18.");
        assertThat(text(robot, "#node")).startsWith("tray-node (Tray Test Node)");
        TableView<NodeRow> nodes = robot.lookup("#nodesTable").queryTableView();
        waitFx("this node registered", () -> nodes.getItems().stream().anyMatch(n -> n.nodeId().equals("tray-node")));

        robot.clickOn("Audit log");
        waitFx("audit page from PostgreSQL", () -> text(robot, "#auditPage").matches("1–\\d+ of \\d+"));

        // the daemon dies without a goodbye: the tray says so and keeps trying
        daemon.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        waitFx("reconnecting banner", () -> text(robot, "#connectionBanner").contains("Reconnecting in"));
        assertThat(text(robot, "#trayStateLabel")).isEqualTo("daemon not reachable");

        daemon = startDaemon();
        waitFx("reconnected to the new daemon", () -> !robot.lookup("#connectionBanner").query().getParent().isVisible());
        waitFx("fresh status", () -> text(robot, "#daemonVersion").contains("running"));
    }

    @Test
    void methodsThisDaemonDoesNotOfferYetAreExplained(FxRobot robot) {
        waitFx("status from the real daemon", () -> text(robot, "#daemonVersion").contains("running"));
        robot.clickOn("#openExtension");
        // until extension.* lands in the daemon it answers NOT_IMPLEMENTED; the installer must say that plainly
        waitFx("extension status answer", () -> !text(robot, "#extMessage").isEmpty());
        String message = text(robot, "#extMessage");
        if (message.startsWith("Cannot read the extension status")) {
            assertThat(text(robot, "#extExplanation")).isNotEmpty();
        } else {
            assertThat(text(robot, "#extPgVersion")).startsWith("18.");
        }
    }

    static String text(FxRobot robot, String query) {
        return fx(() -> robot.lookup(query).tryQuery().map(n -> n instanceof Labeled l ? l.getText() : "").orElse(""));
    }

    static <T> T fx(java.util.concurrent.Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void waitFx(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @SuppressWarnings("unused")
    private static boolean visible(Node n) {
        return n != null && n.isVisible();
    }
}
