package io.steep.repl.tray.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.tray.AppActions;
import io.steep.repl.tray.connection.DaemonConnection;
import io.steep.repl.tray.connection.DaemonModel;
import io.steep.repl.tray.connection.NodeRow;
import io.steep.repl.tray.traymenu.TrayIcons;
import io.steep.repl.tray.traymenu.TrayState;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.ToolBar;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.time.Instant;
import java.util.List;

/**
 * The main window: daemon status, the cluster's nodes and the audit log, all fed by {@link DaemonModel} (which the
 * daemon's pushed events keep current). A one-second timer only re-renders ages ("5 s ago"); it never calls the daemon.
 */
public final class DashboardWindow {

    private final Stage stage = new Stage();
    private final DaemonModel model;
    private final TableView<NodeRow> nodesTable = new TableView<>();
    private final AuditView audit;
    private final TabPane tabs = new TabPane();
    private final Label uptime = value("uptime");

    public DashboardWindow(DaemonConnection connection, AppActions actions) {
        this.model = connection.model();
        this.audit = new AuditView(connection);

        BorderPane root = new BorderPane();
        root.setTop(new VBox(toolbar(actions), banner(connection, actions)));
        VBox center = new VBox(10, statusGrid(), tabs);
        center.setPadding(new Insets(10));
        VBox.setVgrow(tabs, Priority.ALWAYS);
        root.setCenter(center);

        buildNodesTable();
        Tab nodesTab = new Tab("Nodes", nodesTable);
        nodesTab.setId("nodesTab");
        Tab auditTab = new Tab("Audit log", audit.node());
        auditTab.setId("auditTab");
        tabs.getTabs().addAll(nodesTab, auditTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b == auditTab) {
                audit.reload();
            }
        });

        Scene scene = new Scene(root, 920, 640);
        scene.getStylesheets().add(DashboardWindow.class.getResource("dashboard.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("steep-repl");
        stage.getIcons().setAll(TrayIcons.appIcons());

        Timeline clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
        clock.setCycleCount(Timeline.INDEFINITE);
        stage.setOnShown(e -> clock.play());
        stage.setOnHidden(e -> clock.stop());
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    public void showAuditTab() {
        tabs.getSelectionModel().select(1);
    }

    public void showNodesTab() {
        tabs.getSelectionModel().select(0);
    }

    private ToolBar toolbar(AppActions actions) {
        Button start = button("Start", "startService", actions::startService);
        Button stop = button("Stop", "stopService", actions::stopService);
        Button restart = button("Restart", "restartService", actions::restartService);
        Button install = button("Install service…", "installService", actions::installService);
        Button uninstall = button("Uninstall…", "uninstallService", actions::uninstallService);
        Button certs = button("Certificates…", "openCertWizard", actions::openCertificateWizard);
        Button ext = button("Extension…", "openExtension", actions::openExtensionInstaller);
        Label state = new Label();
        state.setId("trayStateLabel");
        ImageView icon = new ImageView();
        model.trayStateProperty().subscribe(s -> {
            state.setText(s.level().label());
            icon.setImage(TrayIcons.fx(s.level().icon(), 22));
        });
        // with no service installed (the service line says so) these could only fetch an error
        model.serviceProperty().subscribe(s -> {
            for (Button b : List.of(start, stop, restart, uninstall)) {
                b.setDisable(DaemonModel.noServiceInstalled(s));
            }
        });
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label service = new Label("Service:");
        return new ToolBar(service, start, stop, restart, install, uninstall, new Separator(), certs, ext, grow, icon, state);
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setMinWidth(Region.USE_PREF_SIZE);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private HBox banner(DaemonConnection connection, AppActions actions) {
        Label message = new Label();
        message.setId("connectionBanner");
        message.setWrapText(true);
        message.textProperty().bind(model.linkMessageProperty());
        HBox.setHgrow(message, Priority.ALWAYS);
        message.setMaxWidth(Double.MAX_VALUE);
        Button startDaemon = button("Start bundled daemon", "startBundledDaemon", actions::startBundledDaemon);
        Button retry = button("Retry now", "retryNow", connection::reconnectNow);
        HBox box = new HBox(10, new ImageView(TrayIcons.fx("tray-unreachable", 22)), message, startDaemon, retry);
        box.getStyleClass().add("banner");
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(8, 10, 8, 10));
        model.linkProperty().subscribe(l -> {
            boolean down = l != DaemonModel.Link.CONNECTED;
            box.setVisible(down);
            box.setManaged(down);
        });
        return box;
    }

    private GridPane statusGrid() {
        GridPane g = new GridPane();
        g.getStyleClass().add("status-grid");
        g.setHgap(14);
        g.setVgap(6);
        Label version = value("daemonVersion"), pg = value("postgresql"), grpc = value("grpc"), ipc = value("ipc"),
                node = value("node"), service = value("service"), health = value("health");
        health.setWrapText(true);
        health.setMaxWidth(360);
        // as tall as its text: a reason names a file path and what to do, and a row height would cut it with "…"
        health.setMinHeight(Region.USE_PREF_SIZE);
        // a long node name beside a long health reason: on two lines rather than cut
        node.setWrapText(true);
        node.setMinHeight(Region.USE_PREF_SIZE);
        row(g, 0, 0, "Daemon", version);
        row(g, 0, 1, "Uptime", uptime);
        row(g, 0, 2, "Node", node);
        row(g, 0, 3, "Service", service);
        row(g, 2, 0, "PostgreSQL", pg);
        row(g, 2, 1, "gRPC", grpc);
        row(g, 2, 2, "IPC", ipc);
        row(g, 2, 3, "Health", health);

        model.statusProperty().subscribe(s -> {
            if (s == null) {
                return;
            }
            version.setText(s.path("version").asText("?") + " · " + s.path("state").asText("?") + " · pid " + s.path("pid").asText("?"));
            JsonNode p = s.path("postgresql");
            pg.setText(p.path("connected").asBoolean()
                    ? p.path("version").asText("?") + " on " + p.path("host").asText("?") + ":" + p.path("port").asText("?")
                    : "not connected" + (p.has("host") ? " (" + p.path("host").asText() + ":" + p.path("port").asText() + ")" : ""));
            mark(pg, p.path("connected").asBoolean());
            JsonNode gr = s.path("grpc");
            grpc.setText(gr.path("listening").asBoolean()
                    ? "listening on " + gr.path("port").asText("?") + (gr.path("tls_enabled").asBoolean() ? ", mutual TLS" : ", TLS OFF")
                    : "not listening");
            mark(grpc, gr.path("listening").asBoolean() && gr.path("tls_enabled").asBoolean());
            JsonNode n = s.path("node");
            node.setText(n.path("node_id").asText("?") + " (" + n.path("node_name").asText("") + ")"
                    + (n.path("is_coordinator").asBoolean() ? " ★ coordinator" : "") + " · cluster of " + n.path("cluster_size").asInt());
            tick();
        });
        model.healthProperty().subscribe(h -> {
            if (h == null) {
                return;
            }
            JsonNode i = h.path("components").path("ipc");
            ipc.setText(i.isMissingNode() ? "connected" : i.path("status").asText("?"));
            mark(ipc, i.path("healthy").asBoolean(true));
        });
        model.trayStateProperty().subscribe(t -> {
            // while unreachable the banner says why; the grid only names the state
            health.setText(t.reasons().isEmpty() || t.level() == TrayState.Level.UNREACHABLE ? t.level().label()
                    : t.level().label() + ": " + String.join("; ", t.reasons()));
            health.setTooltip(health.getText().length() > 60 ? new Tooltip(health.getText()) : null);
            health.getStyleClass().removeAll("ok", "warn", "bad");
            health.getStyleClass().add(t.level() == TrayState.Level.HEALTHY ? "ok" : t.level() == TrayState.Level.DEGRADED ? "warn" : "bad");
        });
        model.serviceProperty().subscribe(s -> service.setText(serviceText(s)));
        return g;
    }

    /**
     * {@code service.status} in a few words: "not installed (system)", "active (user, enabled)", "failed (system)".
     * The state is the daemon's ({@code active|starting|stopping|inactive|failed|unknown}); {@code scope} says which
     * service manager domain it is.
     */
    static String serviceText(JsonNode s) {
        if (s == null) {
            return "unknown";
        }
        String scope = s.path("scope").asText("");
        if (s.has("installed") && !s.path("installed").asBoolean()) {
            return "not installed" + (scope.isEmpty() ? "" : " (" + scope + ")");
        }
        List<String> details = new java.util.ArrayList<>();
        if (!scope.isEmpty()) {
            details.add(scope);
        }
        if (s.path("enabled").asBoolean(false)) {
            details.add("enabled");
        }
        if (s.hasNonNull("main_pid")) {
            details.add("pid " + s.path("main_pid").asLong());
        }
        return s.path("state").asText("unknown") + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }

    private static void mark(Label l, boolean ok) {
        l.getStyleClass().removeAll("ok", "bad");
        l.getStyleClass().add(ok ? "ok" : "bad");
    }

    private static Label value(String id) {
        Label l = new Label("—");
        l.setId(id);
        l.getStyleClass().add("value");
        return l;
    }

    private static void row(GridPane g, int col, int row, String name, Label value) {
        Label k = new Label(name);
        k.getStyleClass().add("key");
        k.setMinWidth(Region.USE_PREF_SIZE);
        g.add(k, col, row);
        g.add(value, col + 1, row);
    }

    private void tick() {
        JsonNode s = model.statusProperty().get();
        Instant at = model.statusReceivedAtProperty().get();
        if (s != null && at != null) {
            long secs = s.path("uptime_seconds").asLong() + java.time.Duration.between(at, Instant.now()).getSeconds();
            uptime.setText(RelativeTime.duration(secs));
        }
        nodesTable.refresh();
    }

    private void buildNodesTable() {
        nodesTable.setId("nodesTable");
        nodesTable.setItems(model.nodes());
        model.linkProperty().subscribe(l -> nodesTable.setPlaceholder(new Label(l == DaemonModel.Link.CONNECTED
                ? "No nodes registered yet." : "Not connected to the daemon.")));

        TableColumn<NodeRow, String> status = new TableColumn<>("Status");
        status.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().status()));
        status.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeIf(s -> s.startsWith("node-"));
                setText(empty ? null : "● " + item);
                if (!empty) {
                    getStyleClass().add("node-" + item);
                }
            }
        });
        TableColumn<NodeRow, String> id = new TableColumn<>("Node");
        id.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().nodeId() + (c.getValue().coordinator() ? "  ★ coordinator" : "")));
        TableColumn<NodeRow, String> name = new TableColumn<>("Name");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().nodeName()));
        TableColumn<NodeRow, String> addr = new TableColumn<>("Address");
        addr.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().host() + ":" + c.getValue().port()));
        TableColumn<NodeRow, Integer> prio = new TableColumn<>("Priority");
        prio.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().priority()));
        TableColumn<NodeRow, String> seen = new TableColumn<>("Last seen");
        seen.setCellValueFactory(c -> new ReadOnlyStringWrapper(RelativeTime.since(c.getValue().lastSeen(), Instant.now())));
        status.setPrefWidth(120);
        id.setPrefWidth(200);
        name.setPrefWidth(180);
        addr.setPrefWidth(190);
        prio.setPrefWidth(70);
        seen.setPrefWidth(120);
        nodesTable.getColumns().setAll(java.util.List.of(status, id, name, addr, prio, seen));
        nodesTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }
}
