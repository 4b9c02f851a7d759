package io.steep.repl.tray.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.tray.connection.DaemonCallException;
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
    private final Label role = value("extRole");
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
        String[] keys = {"PostgreSQL", "Database", "Role", "Available", "Installed"};
        Label[] vals = {pgVersion, database, role, available, installed};
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
        Scene scene = new Scene(root, 640, 420);
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
            message.setText("Cannot read the extension status (" + failed.code() + "): " + failed.getMessage());
            explanation.setText(ExtensionErrors.explain(failed));
        });
    }

    /** The last status answer: the database and role fill the commands of an explanation. */
    private JsonNode lastStatus;

    /** Reads {@code extension.status} (docs/ipc.md): server_version, supported, available, default_version, installed… */
    private void showStatus(JsonNode s) {
        lastStatus = s;
        String pg = s.path("server_version").asText("unknown");
        pgVersion.setText(pg);
        database.setText(s.path("database").asText("?"));
        role.setText(s.path("role").asText("?") + (s.path("superuser").asBoolean() ? " (superuser)" : " (not a superuser)"));
        boolean isAvailable = s.path("available").asBoolean();
        available.setText(isAvailable ? "yes, version " + text(s, "default_version", "?")
                : "no: the extension files are not in this server's extension directory");
        String inst = text(s, "installed_version", "");
        boolean isInstalled = s.path("installed").asBoolean(!inst.isEmpty());
        installed.setText(isInstalled ? "yes, version " + (inst.isEmpty() ? "?" : inst)
                + (s.path("update_available").asBoolean() ? " (update to " + text(s, "default_version", "?") + " available)" : "")
                : "no");
        int major = majorOf(pg);
        boolean supported = s.has("supported") ? s.path("supported").asBoolean() : major == 0 || major >= TrayState.MIN_PG_MAJOR;
        if (!supported) {
            install.setDisable(true);
            explanation.setText("PostgreSQL " + pg + " is too old: steep_repl needs PostgreSQL 18 or later. Upgrade the "
                    + "server (pg_upgrade) or point the daemon at a PostgreSQL 18 server.");
            return;
        }
        install.setDisable(isInstalled && !s.path("update_available").asBoolean());
        install.setText(isInstalled && s.path("update_available").asBoolean() ? "Update steep_repl" : "Install steep_repl");
        if (!isAvailable) {
            explanation.setText(ExtensionErrors.filesMissing());
        } else if (!isInstalled && s.has("superuser") && !s.path("superuser").asBoolean()) {
            // the install would be refused: say so up front (the button stays, the daemon has the last word)
            explanation.setText(ExtensionErrors.explain(new DaemonCallException("PERMISSION_DENIED", ""),
                    s.path("database").asText(null), s.path("role").asText(null)));
        }
        if (isInstalled && message.getText().isEmpty()) {
            message.setText("steep_repl is installed.");
        }
    }

    /** A text field of the answer; JSON null and absent give the fallback. */
    private static String text(JsonNode s, String field, String fallback) {
        JsonNode v = s.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
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
            String version = text(r, "installed_version", "?");
            String db = r.path("database").asText("?");
            message.setText(switch (r.path("action").asText("")) {
                case "updated" -> "Updated steep_repl from " + text(r, "previous_version", "?") + " to " + version + " in database " + db + ".";
                case "unchanged" -> "steep_repl " + version + " was already installed in database " + db + "; nothing changed.";
                default -> "Installed steep_repl " + version + " in database " + db + ".";
            });
            showStatus(r); // the answer carries the status after the change
            connection.refresh();
        }, failed -> {
            progress.setVisible(false);
            install.setDisable(false);
            message.setText("Install failed (" + failed.code() + "): " + failed.getMessage());
            explanation.setText(ExtensionErrors.explain(failed, lastStatus == null ? null : lastStatus.path("database").asText(null),
                    lastStatus == null ? null : lastStatus.path("role").asText(null)));
        });
    }
}
