package io.steep.repl.tray.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.tray.connection.DaemonConnection;
import io.steep.repl.tray.traymenu.TrayIcons;
import io.steep.repl.tray.traymenu.TrayState;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Shows whether {@code steep_repl} is available and installed in the daemon's database and installs it through
 * the daemon ({@code extension.install}); failures come with the fix.
 */
public final class ExtensionInstaller {

    private final DaemonConnection connection;
    private final Stage stage = new Stage();
    private final Label pgVersion = value("extPgVersion");
    private final Label database = value("extDatabase");
    private final Label available = value("extAvailable");
    private final Label installed = value("extInstalled");
    private final Label message = new Label();
    private final Label explanation = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Button install = new Button("Install steep_repl");

    public ExtensionInstaller(DaemonConnection connection, Window owner) {
        this.connection = connection;
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        String[] keys = {"PostgreSQL", "Database", "Available", "Installed"};
        Label[] vals = {pgVersion, database, available, installed};
        for (int i = 0; i < keys.length; i++) {
            Label k = new Label(keys[i]);
            k.setStyle("-fx-font-weight: bold");
            g.add(k, 0, i);
            g.add(vals[i], 1, i);
        }
        message.setId("extMessage");
        message.setWrapText(true);
        explanation.setId("extExplanation");
        explanation.setWrapText(true);
        explanation.getStyleClass().add("explain");
        progress.setId("extProgress");
        progress.setVisible(false);
        progress.setPrefWidth(220);
        install.setId("installExtension");
        install.setMnemonicParsing(false); // "steep_repl" is a name, not a mnemonic
        install.setDefaultButton(true);
        install.setOnAction(e -> install());
        Button close = new Button("Close");
        close.setOnAction(e -> stage.close());
        Label head = new Label("The steep_repl extension");
        head.setStyle("-fx-font-size: 1.25em; -fx-font-weight: bold");
        Label intro = new Label("steep_repl keeps the cluster's nodes, coordinator state and audit log in the daemon's "
                + "database. It needs PostgreSQL 18 or later.");
        intro.setWrapText(true);
        VBox root = new VBox(12, head, intro, g, new HBox(12, install, progress), message, explanation, new HBox(close));
        root.setPadding(new Insets(16));
        Scene scene = new Scene(root, 620, 360);
        scene.getStylesheets().add(io.steep.repl.tray.dashboard.DashboardWindow.class.getResource("dashboard.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("steep-repl — extension");
        stage.getIcons().setAll(TrayIcons.appIcons());
        if (owner != null) {
            stage.initOwner(owner);
        }
    }

    private static Label value(String id) {
        Label l = new Label("…");
        l.setId(id);
        return l;
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        stage.toFront();
        loadStatus();
    }

    void loadStatus() {
        connection.then(connection.call("extension.status", null), this::showStatus, failed -> {
            message.setText("Cannot read the extension status: " + failed.getMessage());
            explanation.setText(ExtensionErrors.explain(failed));
        });
    }

    private void showStatus(JsonNode s) {
        String pg = s.path("postgresql_version").asText(s.path("server_version").asText("unknown"));
        pgVersion.setText(pg);
        database.setText(s.path("database").asText("?"));
        boolean isAvailable = s.path("available").asBoolean();
        available.setText(isAvailable ? "yes, version " + s.path("available_version").asText(s.path("default_version").asText("?"))
                : "no: the extension files are not in this server's extension directory");
        String inst = s.path("installed_version").asText("");
        boolean isInstalled = s.path("installed").asBoolean(!inst.isEmpty());
        installed.setText(isInstalled ? "yes, version " + (inst.isEmpty() ? "?" : inst) : "no");
        int major = majorOf(pg);
        if (major > 0 && major < TrayState.MIN_PG_MAJOR) {
            install.setDisable(true);
            explanation.setText("PostgreSQL " + pg + " is too old: steep_repl needs PostgreSQL 18 or later. Upgrade the "
                    + "server (pg_upgrade) or point the daemon at a PostgreSQL 18 server.");
        } else {
            install.setDisable(isInstalled);
            if (!isAvailable) {
                explanation.setText(ExtensionErrors.explain(new io.steep.repl.tray.connection.DaemonCallException(
                        "EXTENSION_FILES_NOT_FOUND", "extension steep_repl not found")));
            }
        }
        if (isInstalled && message.getText().isEmpty()) {
            message.setText("steep_repl is installed.");
        }
    }

    static int majorOf(String version) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(\\d+)").matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private void install() {
        install.setDisable(true);
        progress.setVisible(true);
        progress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        message.setText("Installing steep_repl…");
        explanation.setText("");
        connection.then(connection.call("extension.install", null, DaemonConnection.LONG_CALL_TIMEOUT), r -> {
            progress.setVisible(false);
            message.setText("Installed steep_repl " + r.path("installed_version").asText(r.path("version").asText(""))
                    + " in database " + r.path("database").asText("?") + ".");
            loadStatus();
            connection.refresh();
        }, failed -> {
            progress.setVisible(false);
            install.setDisable(false);
            message.setText("Install failed (" + failed.code() + "): " + failed.getMessage());
            explanation.setText(ExtensionErrors.explain(failed));
        });
    }
}
