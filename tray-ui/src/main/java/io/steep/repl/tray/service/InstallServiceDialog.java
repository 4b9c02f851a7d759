package io.steep.repl.tray.service;

import io.steep.repl.tray.ErrorDialogs;
import io.steep.repl.tray.connection.DaemonConnection;
import io.steep.repl.tray.traymenu.TrayIcons;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/** Installs the daemon as an OS service ({@code service.install}), system-wide or for this user. */
public final class InstallServiceDialog {

    private final Stage stage = new Stage();
    private final Label outcome = new Label();
    private final ProgressIndicator busy = new ProgressIndicator();

    public InstallServiceDialog(DaemonConnection connection, Window owner) {
        ToggleGroup mode = new ToggleGroup();
        RadioButton system = new RadioButton("System service: starts at boot, runs as its own user (needs administrator rights)");
        system.setId("modeSystem");
        system.setUserData("system");
        RadioButton user = new RadioButton("User service: starts when you log in, runs as you");
        user.setId("modeUser");
        user.setUserData("user");
        system.setToggleGroup(mode);
        user.setToggleGroup(mode);
        mode.selectToggle(system);
        outcome.setId("serviceOutcome");
        outcome.setWrapText(true);
        busy.setVisible(false);
        busy.setPrefSize(22, 22);
        Button install = new Button("Install");
        install.setId("confirmInstallService");
        install.setDefaultButton(true);
        Button close = new Button("Close");
        close.setOnAction(e -> stage.close());
        install.setOnAction(e -> {
            install.setDisable(true);
            busy.setVisible(true);
            outcome.setText("Installing…");
            outcome.setStyle("");
            String m = (String) mode.getSelectedToggle().getUserData();
            connection.then(connection.call("service.install", DaemonConnection.params().put("mode", m), DaemonConnection.LONG_CALL_TIMEOUT), r -> {
                busy.setVisible(false);
                install.setDisable(false);
                outcome.setStyle("-fx-text-fill: #1e7d36");
                // e.g. "done: install steep-repl (systemd, user service)"; the log names each step
                String done = r.path("message").asText("done: install (" + r.path("scope").asText(m) + " service)");
                outcome.setText("Installed the " + r.path("scope").asText(m) + " service (" + r.path("manager").asText("?") + "). "
                        + done + (r.path("log").asText("").isBlank() ? "" : "\n" + r.path("log").asText().strip()));
                connection.refresh();
            }, failed -> {
                busy.setVisible(false);
                install.setDisable(false);
                outcome.setStyle("-fx-text-fill: #b3261e");
                String hint = ErrorDialogs.hint(failed);
                outcome.setText("Install failed (" + failed.code() + "): " + failed.getMessage() + (hint.isEmpty() ? "" : "\n" + hint));
            });
        });
        Label head = new Label("Install the steep-repl service");
        head.setStyle("-fx-font-size: 1.25em; -fx-font-weight: bold");
        VBox root = new VBox(12, head, system, user, new HBox(10, install, busy, close), outcome);
        root.setPadding(new Insets(16));
        stage.setScene(new Scene(root, 600, 280));
        stage.setTitle("steep-repl — install service");
        stage.getIcons().setAll(TrayIcons.appIcons());
        if (owner != null) {
            stage.initOwner(owner);
        }
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        stage.toFront();
    }
}
