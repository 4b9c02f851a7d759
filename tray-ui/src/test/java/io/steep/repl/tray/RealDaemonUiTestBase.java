package io.steep.repl.tray;

import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.testing.RealPostgres;
import io.steep.repl.tray.connection.IpcClientLink;
import io.steep.repl.tray.testing.RealDaemon;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tray against the real daemon ({@link RealDaemon}: the assembled distribution as a child process on real
 * PostgreSQL). Each test configures its daemon (database, role, server) and then {@link #openTray(RealDaemon)}.
 * Needs the daemon distribution built first: {@code ./mvnw -o -q -B -pl icons,shared-proto,extension,daemon package
 * -DskipTests} (the full reactor build does it before tray-ui's tests run).
 */
@ExtendWith({RealPostgres.class, ApplicationExtension.class})
abstract class RealDaemonUiTestBase {

    protected RealDaemon daemon;
    protected TrayApp app;

    @BeforeEach
    void daemonDistributionIsBuilt() {
        assumeTrue(RealDaemon.built(), "daemon distribution missing at " + RealDaemon.DIST
                + ": build it with ./mvnw -o -q -B -pl icons,shared-proto,extension,daemon package -DskipTests");
    }

    /** Starts the daemon and the tray (dashboard as the main window) talking to it; waits for the first status. */
    protected void openTray(RealDaemon d, FxRobot robot) throws Exception {
        daemon = d.start();
        FxToolkit.setupFixture(() -> {
            app = new TrayApp();
            app.start(IpcClientLink.opener(IpcEndpoint.of(d.socket().toString())), true, null);
        });
        waitFx("status from the real daemon (log: " + d.log() + ")", () -> text(robot, "#daemonVersion").contains("running"));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (app != null) {
            app.connection().close();
        }
        if (daemon != null) {
            daemon.close();
        }
        FxToolkit.cleanupStages();
    }

    protected String daemonLog() {
        try {
            return Files.readString(daemon.log());
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    static String text(FxRobot robot, String query) {
        return fx(() -> robot.lookup(query).tryQuery().map(n -> n instanceof Labeled l ? l.getText()
                : n instanceof TextInputControl t ? t.getText() : "").orElse(""));
    }

    static <T> T fx(Callable<T> c) {
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

    static void waitText(FxRobot robot, String query, String contains) {
        waitFx(query + " shows \"" + contains + "\" (it shows \"" + text(robot, query) + "\")", () -> text(robot, query).contains(contains));
    }

    /** Some node matching the query shows the text. */
    static void waitAnyText(FxRobot robot, String query, String contains) {
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> robot.lookup(query).queryAll().stream()
                    .anyMatch(n -> n instanceof Labeled l && l.getText() != null && l.getText().contains(contains))));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting until a " + query + " shows \"" + contains + "\"; shown: "
                    + fx(() -> robot.lookup(query).queryAll().stream().map(n -> n instanceof Labeled l ? l.getText() : "").toList()));
        }
    }

    @SuppressWarnings("unused")
    private static boolean visible(Node n) {
        return n != null && n.isVisible();
    }
}
