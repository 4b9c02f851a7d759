package io.steep.repl.tray;

import io.steep.repl.testing.IpcAddress;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.tray.connection.IpcClientLink;
import io.steep.repl.tray.testing.FakeDaemon;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs the real app (dashboard as the main window, as on a desktop without a tray host) against a daemon on a real
 * unix socket, headless under Monocle. Subclasses drive it with TestFX.
 */
@ExtendWith(ApplicationExtension.class)
abstract class UiTestBase {

    protected FakeDaemon daemon;
    protected TrayApp app;
    protected Path dir;

    /** Whether the daemon is up when the app starts. */
    protected boolean daemonUpAtStart() {
        return true;
    }

    protected void configure(FakeDaemon d) {
    }

    @BeforeEach
    void startApp() throws Exception {
        dir = Files.createTempDirectory("steep-tray-ui");
        daemon = new FakeDaemon(dir.resolve("steep-repl.sock"));
        configure(daemon);
        if (daemonUpAtStart()) {
            daemon.start();
        }
        FxToolkit.setupFixture(() -> {
            app = new TrayApp();
            app.start(IpcClientLink.opener(IpcEndpoint.of(IpcAddress.of(daemon.socket()))), true, null);
        });
    }

    @AfterEach
    void stopApp() throws Exception {
        app.connection().close();
        daemon.close();
        FxToolkit.cleanupStages();
    }

    /** Evaluates on the JavaFX thread. */
    protected static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    protected static void waitFx(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what);
        }
    }

    protected static String text(FxRobot robot, String query) {
        return fx(() -> {
            Node n = robot.lookup(query).query();
            return n instanceof Labeled l ? l.getText() : ((TextInputControl) n).getText();
        });
    }

    protected static void waitText(FxRobot robot, String query, String contains) {
        waitFx(query + " shows \"" + contains + "\"", () -> {
            Node n = robot.lookup(query).tryQuery().orElse(null);
            String t = n instanceof Labeled l ? l.getText() : n instanceof TextInputControl i ? i.getText() : null;
            return t != null && t.contains(contains);
        });
    }

    /** Some node matching the query (e.g. any table cell) shows the text. */
    protected static void waitAnyText(FxRobot robot, String query, String contains) {
        waitFx("a " + query + " shows \"" + contains + "\"", () -> robot.lookup(query).queryAll().stream()
                .anyMatch(n -> n instanceof Labeled l && l.getText() != null && l.getText().contains(contains)));
    }

    protected static void startDaemon(FakeDaemon d) {
        try {
            d.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
