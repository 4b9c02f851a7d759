package io.steep.repl.tray.service;

import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.stage.Window;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Asks once (macOS, app bundle, no LaunchDaemon yet, not declined) whether to install the background service, then
 * runs {@link LaunchDaemonOffer#installCommand} and shows progress and the result.
 */
public final class LaunchDaemonOfferDialog {

    static final ButtonType INSTALL = new ButtonType("Install", ButtonBar.ButtonData.OK_DONE);
    static final ButtonType NOT_NOW = new ButtonType("Not now", ButtonBar.ButtonData.CANCEL_CLOSE);
    static final ButtonType NEVER = new ButtonType("Don't ask again", ButtonBar.ButtonData.OTHER);

    /** Runs an argument vector, returning exit code and combined output; replaced in tests. */
    public interface Runner {
        Result run(List<String> argv) throws IOException, InterruptedException;

        record Result(int exitCode, String output) {}
    }

    private final Window owner;
    private final Path appSupportDir;
    private final Path daemon;
    private final Runner runner;
    private final Runnable afterInstall;

    public LaunchDaemonOfferDialog(Window owner, Path appSupportDir, Path daemon, Runner runner, Runnable afterInstall) {
        this.owner = owner;
        this.appSupportDir = appSupportDir;
        this.daemon = daemon;
        this.runner = runner;
        this.afterInstall = afterInstall;
    }

    public static Runner processRunner() {
        return argv -> {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Runner.Result(p.waitFor(), out);
        };
    }

    Alert question() {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, null, INSTALL, NOT_NOW, NEVER);
        if (owner != null) {
            a.initOwner(owner);
        }
        a.setTitle("steep-repl");
        a.setHeaderText("Install the steep-repl background service?");
        Label text = new Label("steep-repl runs as a LaunchDaemon that starts at boot, under its own _steep-repl account."
                + " Installing it needs an administrator password once; macOS asks for it next.\n\n"
                + "Config: /Library/Application Support/steep/config.yaml — set repl.node_id there before the service"
                + " can join a cluster.");
        text.setWrapText(true);
        text.setPrefWidth(440);
        text.setId("launchDaemonOfferText");
        a.getDialogPane().setContent(text);
        return a;
    }

    /** Shows the question; on Install runs the command off the FX thread and reports. */
    public void show() {
        question().showAndWait().ifPresent(answer -> {
            if (answer == NEVER) {
                try {
                    LaunchDaemonOffer.rememberDecline(appSupportDir);
                } catch (IOException e) {
                    result(Alert.AlertType.WARNING, "Could not remember the choice",
                            "Writing " + appSupportDir + " failed: " + e.getMessage() + ". You will be asked again next time.");
                }
            } else if (answer == INSTALL) {
                install();
            }
        });
    }

    void install() {
        Alert progress = new Alert(Alert.AlertType.INFORMATION);
        if (owner != null) {
            progress.initOwner(owner);
        }
        progress.setTitle("steep-repl");
        progress.setHeaderText("Installing the background service…");
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(28, 28);
        progress.getDialogPane().setContent(new HBox(12, busy, new Label("Waiting for the administrator prompt, then running"
                + " steep-repl install and start.")));
        progress.getButtonTypes().clear();
        progress.show();
        Function<Runner.Result, Runnable> report = r -> () -> {
            closeForcibly(progress);
            if (r.exitCode() == 0) {
                result(Alert.AlertType.INFORMATION, "The background service is installed and started",
                        r.output().strip() + "\n\nIt starts at boot. Logs: /Library/Logs/steep-repl/steep-repl.log");
                afterInstall.run();
            } else {
                result(Alert.AlertType.ERROR, "The background service was not installed",
                        LaunchDaemonOffer.explainFailure(r.exitCode(), r.output()));
            }
        };
        Thread.ofVirtual().name("launchdaemon-install").start(() -> {
            Runner.Result r;
            try {
                r = runner.run(LaunchDaemonOffer.installCommand(daemon));
            } catch (IOException e) {
                r = new Runner.Result(-1, "cannot run osascript: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = new Runner.Result(-1, "interrupted");
            }
            Platform.runLater(report.apply(r));
        });
    }

    private static void closeForcibly(Alert a) {
        // an Alert without buttons refuses close(): give it one first
        a.getButtonTypes().setAll(ButtonType.CLOSE);
        a.close();
    }

    private void result(Alert.AlertType type, String header, String text) {
        Alert a = new Alert(type);
        if (owner != null) {
            a.initOwner(owner);
        }
        a.setTitle("steep-repl");
        a.setHeaderText(header);
        Label body = new Label(text);
        body.setWrapText(true);
        body.setPrefWidth(460);
        body.setId("launchDaemonResult");
        a.getDialogPane().setContent(body);
        a.show();
    }
}
