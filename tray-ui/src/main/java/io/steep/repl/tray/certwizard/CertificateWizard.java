package io.steep.repl.tray.certwizard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.tray.ErrorDialogs;
import io.steep.repl.tray.connection.DaemonCallException;
import io.steep.repl.tray.connection.DaemonConnection;
import io.steep.repl.tray.traymenu.TrayIcons;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's certificates, step by step: create the CA (or point at an existing one), issue this node's
 * certificate, or export a bundle / sign a CSR for another node. Every step is one {@code certs.*} call; the
 * daemon does the cryptography and writes the files, the wizard shows what came out. Replacing an existing CA needs
 * an explicit confirmation: it invalidates every certificate the old CA signed.
 */
public final class CertificateWizard {

    public enum Task {
        CREATE_CA("Create the cluster CA", "createCa"),
        EXISTING_CA("Use an existing CA", "existingCa"),
        ISSUE_NODE("Issue this node's certificate", "issueNode"),
        EXPORT_BUNDLE("Export a bundle for another node", "exportBundle"),
        SIGN_CSR("Sign a CSR from another node", "signCsr");

        final String title;
        final String id;

        Task(String title, String id) {
            this.title = title;
            this.id = id;
        }
    }

    private final DaemonConnection connection;
    private final Stage stage = new Stage();
    private final ToggleGroup tasks = new ToggleGroup();
    private final StackPane pages = new StackPane();
    private final VBox result = new VBox(4);
    private final Label resultTitle = new Label();
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Button run = new Button("Run");

    private final TextField caName = field("caName", "steep-repl cluster CA");
    private final TextField caDays = field("caDays", "3650");
    private final TextField caInitDir = field("caInitDir", "");
    private final TextField caDir = field("caDir", "");
    private final TextField nodeId = field("nodeId", "");
    private final TextField nodeHosts = field("nodeHosts", "");
    private final TextField nodeDays = field("nodeDays", "365");
    private final TextField nodeOutDir = field("nodeOutDir", "");
    private final TextField otherNodeId = field("otherNodeId", "");
    private final TextField otherHosts = field("otherHosts", "");
    private final TextField bundleDir = field("bundleDir", "");
    private final TextField csrFile = field("csrFile", "");
    private final TextField csrOut = field("csrOut", "");

    public CertificateWizard(DaemonConnection connection, Window owner) {
        this.connection = connection;
        VBox choices = new VBox(6);
        for (Task t : Task.values()) {
            RadioButton r = new RadioButton(t.title);
            r.setId(t.id);
            r.setUserData(t);
            r.setToggleGroup(tasks);
            choices.getChildren().add(r);
        }
        choices.setPadding(new Insets(12));
        choices.setMinWidth(250);

        pages.getChildren().addAll(
                page(Task.CREATE_CA, "A new CA signs every node's certificate in this cluster. Its key stays on this machine, readable by the daemon only.",
                        "Common name", caName, "Valid for (days)", caDays, "Directory", caInitDir),
                page(Task.EXISTING_CA, "Point at the directory holding ca-cert.pem and ca-key.pem of the cluster's CA (e.g. copied from the first node).",
                        "CA directory", caDir),
                page(Task.ISSUE_NODE, "This node's certificate: the CN is the node id, the SANs the names and addresses peers use to reach it.",
                        "Node id", nodeId, "Hosts (comma separated)", nodeHosts, "Valid for (days)", nodeDays,
                        "Output directory", nodeOutDir),
                page(Task.EXPORT_BUNDLE, "Issues a certificate and key for another node and writes them with the CA certificate to a directory, to copy to that node.",
                        "Node id", otherNodeId, "Hosts (comma separated)", otherHosts, "Output directory", bundleDir),
                page(Task.SIGN_CSR, "Signs a certificate signing request made on another node: only public data travels, its private key never leaves that node.",
                        "CSR file", csrFile, "Certificate output file (optional)", csrOut));
        tasks.selectedToggleProperty().subscribe(t -> {
            Task task = t == null ? Task.CREATE_CA : (Task) t.getUserData();
            pages.getChildren().forEach(p -> {
                p.setVisible(p.getUserData() == task);
                p.setManaged(p.getUserData() == task); // the stack takes the shown page's height, not the tallest
            });
            result.getChildren().clear();
            resultTitle.setText("");
        });
        tasks.selectToggle(tasks.getToggles().getFirst());

        run.setId("runTask");
        run.setDefaultButton(true);
        run.setOnAction(e -> runSelected());
        busy.setVisible(false);
        busy.setPrefSize(22, 22);
        Button close = new Button("Close");
        close.setId("closeWizard");
        close.setOnAction(e -> stage.close());
        result.setId("certResult");
        result.getStyleClass().add("result-box");
        // an empty box would draw as a stray line under the Run button
        result.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(result.getChildren()));
        result.managedProperty().bind(result.visibleProperty());
        resultTitle.setId("certResultTitle");
        resultTitle.setStyle("-fx-font-weight: bold");

        VBox right = new VBox(10, pages, new HBox(10, run, busy), resultTitle, result);
        right.setPadding(new Insets(12));
        BorderPane root = new BorderPane(right);
        root.setLeft(choices);
        HBox bottom = new HBox(close);
        bottom.setPadding(new Insets(8, 12, 12, 12));
        bottom.setStyle("-fx-alignment: center-right");
        root.setBottom(bottom);
        Label paths = new Label("Paths: relative ones and ~ are taken from your home directory, " + TypedPath.home()
                + ". Empty directories mean the daemon's certificate directory.");
        paths.setWrapText(true);
        paths.setMinHeight(Region.USE_PREF_SIZE);
        paths.getStyleClass().add("explain");
        right.getChildren().add(1, paths);
        Scene scene = new Scene(root, 880, 600);
        scene.getStylesheets().add(io.steep.repl.tray.dashboard.DashboardWindow.class.getResource("dashboard.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("steep-repl — certificates");
        stage.getIcons().setAll(TrayIcons.appIcons());
        if (owner != null) {
            stage.initOwner(owner);
        }
        prefill();
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    public void select(Task task) {
        tasks.getToggles().stream().filter(t -> t.getUserData() == task).findFirst().ifPresent(tasks::selectToggle);
    }

    private static TextField field(String id, String value) {
        TextField f = new TextField(value);
        f.setId(id);
        // narrow preferred width, grown by the grid's column: a wide one pushes the page past the window and the
        // wrapped texts beside it get cut instead of wrapped
        f.setPrefColumnCount(20);
        f.setMaxWidth(Double.MAX_VALUE);
        return f;
    }

    private static VBox page(Task task, String intro, Object... labelsAndFields) {
        Label head = new Label(task.title);
        head.setStyle("-fx-font-size: 1.25em; -fx-font-weight: bold");
        Label text = new Label(intro);
        text.setWrapText(true);
        text.setMinHeight(Region.USE_PREF_SIZE); // a tall page must not squeeze wrapped text to one cut line
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        for (int i = 0; i < labelsAndFields.length; i += 2) {
            Label l = new Label((String) labelsAndFields[i]);
            l.setMinWidth(Region.USE_PREF_SIZE);
            g.add(l, 0, i / 2);
            g.add((TextField) labelsAndFields[i + 1], 1, i / 2);
        }
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        javafx.scene.layout.ColumnConstraints fields = new javafx.scene.layout.ColumnConstraints();
        fields.setHgrow(javafx.scene.layout.Priority.ALWAYS);
        fields.setFillWidth(true);
        g.getColumnConstraints().setAll(labels, fields);
        VBox box = new VBox(10, head, text, g);
        box.setUserData(task);
        return box;
    }

    /** This node's id and reachable names, from the daemon's status (the hosts the daemon suggests if it does). */
    private void prefill() {
        JsonNode status = connection.model().statusProperty().get();
        if (status != null) {
            nodeId.setText(status.path("node").path("node_id").asText(""));
        }
        JsonNode certs = connection.model().certsProperty().get();
        Set<String> hosts = new LinkedHashSet<>();
        if (certs != null) {
            certs.path("suggested_hosts").forEach(h -> hosts.add(h.asText()));
            // the daemon's certificate directory (certs.status "dir"): where its files go when none is named
            String dir = certs.path("dir").asText("");
            caInitDir.setText(dir);
            nodeOutDir.setText(dir);
        }
        if (hosts.isEmpty()) {
            try {
                hosts.add(InetAddress.getLocalHost().getCanonicalHostName());
            } catch (java.io.IOException e) {
                // no resolvable host name: the loopback names below still work for a single-machine cluster
            }
            hosts.add("localhost");
            hosts.add("127.0.0.1");
        }
        nodeHosts.setText(String.join(", ", hosts));
    }

    private Task selected() {
        return (Task) tasks.getSelectedToggle().getUserData();
    }

    private void runSelected() {
        Task task = selected();
        ObjectNode p = DaemonConnection.params();
        String method;
        try {
            switch (task) {
                case CREATE_CA -> {
                    method = "certs.init_ca";
                    p.put("common_name", required(caName, "a common name")).put("days", days(caDays));
                    optionalPath(p, "dir", caInitDir, "CA directory");
                }
                case EXISTING_CA -> {
                    method = "certs.status";
                    required(caDir, "the CA directory");
                    optionalPath(p, "dir", caDir, "CA directory");
                }
                case ISSUE_NODE -> {
                    method = "certs.issue_node";
                    p.put("node_id", required(nodeId, "the node id")).put("days", days(nodeDays));
                    hosts(p, nodeHosts);
                    optionalPath(p, "out_dir", nodeOutDir, "output directory");
                    caDirParam(p);
                }
                case EXPORT_BUNDLE -> {
                    method = "certs.issue_node";
                    p.put("node_id", required(otherNodeId, "the other node's id")).put("days", days(nodeDays));
                    required(bundleDir, "an output directory");
                    optionalPath(p, "out_dir", bundleDir, "output directory");
                    hosts(p, otherHosts);
                    caDirParam(p);
                }
                case SIGN_CSR -> {
                    method = "certs.sign_csr";
                    required(csrFile, "the CSR file");
                    optionalPath(p, "csr_file", csrFile, "CSR file");
                    p.put("days", days(nodeDays));
                    optionalPath(p, "out_file", csrOut, "certificate output file");
                    caDirParam(p);
                }
                default -> throw new IllegalStateException(task.name());
            }
        } catch (IllegalArgumentException bad) {
            showResult("Missing input", List.of(bad.getMessage()), true);
            return;
        }
        call(task, method, p);
    }

    private void call(Task task, String method, ObjectNode p) {
        busy.setVisible(true);
        run.setDisable(true);
        connection.then(connection.call(method, p, DaemonConnection.LONG_CALL_TIMEOUT), answer -> {
            busy.setVisible(false);
            run.setDisable(false);
            if (task == Task.EXISTING_CA) {
                showExistingCa(answer);
                return;
            }
            if (task == Task.CREATE_CA && answer.hasNonNull("certificate")) {
                // the next steps (issue, export, sign) use this CA
                caDir.setText(java.nio.file.Path.of(answer.path("certificate").asText()).getParent().toString());
            }
            showResult("Done", CertificateReportView.lines(answer), false);
            connection.refresh();
        }, failed -> {
            busy.setVisible(false);
            run.setDisable(false);
            if (task == Task.CREATE_CA && "ALREADY_EXISTS".equals(failed.code()) && !p.path("force").asBoolean()) {
                if (confirmReplaceCa(failed)) {
                    call(task, method, p.put("force", true));
                } else {
                    showResult("The existing CA was kept", List.of(failed.getMessage()), false);
                }
                return;
            }
            showResult("Failed (" + failed.code() + ")", errorLines(failed), true);
        });
    }

    /** {@code certs.status} of the typed directory: its CA report, or why it is not usable as the CA. */
    private void showExistingCa(JsonNode status) {
        JsonNode ca = status.path("ca");
        String dir = status.path("dir").asText(caDir.getText());
        if (ca.isMissingNode() || ca.isNull()) {
            int others = status.path("certificates").size();
            showResult("No CA in " + dir, List.of("No CA certificate (ca-cert.pem) in " + dir
                    + (others > 0 ? "; it holds " + others + " other certificate" + (others == 1 ? "" : "s") : "")
                    + ". Copy ca-cert.pem and ca-key.pem of the cluster's CA there, or create a CA."), true);
            return;
        }
        caDir.setText(dir);
        List<String> lines = new ArrayList<>(CertificateReportView.lines(ca));
        lines.add("The next steps sign with this CA.");
        showResult("CA found", lines, false);
    }

    private static List<String> errorLines(DaemonCallException e) {
        List<String> l = new ArrayList<>(List.of(e.getMessage()));
        String hint = ErrorDialogs.hint(e);
        if (!hint.isEmpty()) {
            l.add(hint);
        }
        return l;
    }

    /** Asks before replacing a CA; the safe answer (keep it) is the default button. */
    private boolean confirmReplaceCa(DaemonCallException existing) {
        ButtonType replace = new ButtonType("Replace the CA", ButtonBar.ButtonData.OTHER);
        ButtonType keep = new ButtonType("Keep the existing CA", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.WARNING, "", keep, replace);
        a.initOwner(stage);
        a.setTitle("Replace the cluster CA?");
        a.setHeaderText("A cluster CA exists already");
        Label text = new Label(existing.getMessage() + "\n\nReplacing it makes every certificate it signed untrusted: "
                + "all nodes need new certificates before they can talk to each other again.");
        text.setWrapText(true);
        text.setMaxWidth(440);
        text.setPrefWidth(440); // the dialog takes its content's preferred width: unwrapped, that is the whole text
        text.setId("confirmReplaceText");
        a.getDialogPane().setContent(text);
        ((Button) a.getDialogPane().lookupButton(keep)).setDefaultButton(true);
        ((Button) a.getDialogPane().lookupButton(replace)).setDefaultButton(false);
        ((Button) a.getDialogPane().lookupButton(replace)).setId("confirmReplace");
        ((Button) a.getDialogPane().lookupButton(keep)).setId("keepCa");
        Optional<ButtonType> answer = a.showAndWait();
        return answer.isPresent() && answer.get() == replace;
    }

    private void showResult(String title, List<String> lines, boolean error) {
        resultTitle.setText(title);
        resultTitle.setStyle("-fx-font-weight: bold; -fx-text-fill: " + (error ? "#b3261e" : "#1e7d36"));
        result.getChildren().clear();
        for (String l : lines) {
            Label label = new Label(l);
            label.setWrapText(true);
            label.setMinHeight(Region.USE_PREF_SIZE);
            result.getChildren().add(label);
        }
    }

    private void caDirParam(ObjectNode p) {
        optionalPath(p, "ca_dir", caDir, "CA directory");
    }

    /** Puts the field's path, made absolute (the daemon refuses relative ones), when the field is not empty. */
    private static void optionalPath(ObjectNode p, String param, TextField f, String what) {
        if (!f.getText().isBlank()) {
            p.put(param, TypedPath.absolute(f.getText(), TypedPath.home(), what).toString());
        }
    }

    private static String required(TextField f, String what) {
        String v = f.getText().trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("Enter " + what + ".");
        }
        return v;
    }

    private static int days(TextField f) {
        try {
            int d = Integer.parseInt(f.getText().trim());
            if (d < 1 || d > 36500) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Validity must be a number of days from 1 to 36500, got \"" + f.getText() + "\".");
        }
    }

    private static void hosts(ObjectNode p, TextField f) {
        var arr = p.putArray("hosts");
        for (String h : f.getText().split("[,\\s]+")) {
            if (!h.isBlank()) {
                arr.add(h.trim());
            }
        }
        if (arr.isEmpty()) {
            throw new IllegalArgumentException("Enter at least one host name or IP address peers use to reach the node.");
        }
    }
}
