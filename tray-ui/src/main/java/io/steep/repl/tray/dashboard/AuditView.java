package io.steep.repl.tray.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.tray.connection.DaemonConnection;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit log, a page at a time, filtered by action and age; the first page follows {@code audit.appended}. */
public final class AuditView {

    public static final int PAGE_SIZE = 50;
    static final String ALL_ACTIONS = "All actions";
    /** Actions the extension's triggers and the daemon write; the filter also accepts what the log holds. */
    static final List<String> KNOWN_ACTIONS = List.of("node.registered", "node.updated", "node.removed",
            "state.updated", "coordinator.elected", "daemon.started", "daemon.stopped", "auth.denied");
    private static final Map<String, Duration> WINDOWS = new LinkedHashMap<>();

    static {
        WINDOWS.put("Any time", null);
        WINDOWS.put("Last hour", Duration.ofHours(1));
        WINDOWS.put("Last 24 hours", Duration.ofDays(1));
        WINDOWS.put("Last 7 days", Duration.ofDays(7));
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final DaemonConnection connection;
    private final TableView<JsonNode> table = new TableView<>();
    private final ComboBox<String> action = new ComboBox<>();
    private final ComboBox<String> window = new ComboBox<>();
    private final Label pageLabel = new Label();
    private final Label error = new Label();
    private final Button prev = new Button("◀ Newer");
    private final Button next = new Button("Older ▶");
    private final BorderPane root = new BorderPane();
    private AuditPager pager = AuditPager.first(PAGE_SIZE);
    private boolean shown;

    public AuditView(DaemonConnection connection) {
        this.connection = connection;
        action.setId("auditAction");
        action.setItems(FXCollections.observableArrayList(ALL_ACTIONS));
        action.getItems().addAll(KNOWN_ACTIONS);
        action.getSelectionModel().selectFirst();
        window.setId("auditWindow");
        window.setItems(FXCollections.observableArrayList(WINDOWS.keySet()));
        window.getSelectionModel().selectFirst();
        action.setOnAction(e -> applyFilters());
        window.setOnAction(e -> applyFilters());
        prev.setId("auditPrev");
        next.setId("auditNext");
        pageLabel.setId("auditPage");
        error.setId("auditError");
        error.getStyleClass().add("audit-failed");
        prev.setOnAction(e -> load(pager.previous()));
        next.setOnAction(e -> load(pager.next()));

        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(8, new Label("Action"), action, new Label("Time"), window, error, grow, prev, pageLabel, next);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        root.setTop(bar);
        root.setCenter(table);
        buildTable();

        // live: a new audit row shows up on the first page; later pages stay put while being read
        connection.model().auditVersionProperty().addListener((o, a, b) -> {
            if (shown && pager.onFirstPage()) {
                load(pager);
            }
        });
        connection.model().linkProperty().addListener((o, a, b) -> {
            if (shown && b == io.steep.repl.tray.connection.DaemonModel.Link.CONNECTED) {
                load(pager);
            }
        });
    }

    public Node node() {
        return root;
    }

    /** Called when the tab is shown: from then on it follows the log. */
    public void reload() {
        shown = true;
        load(pager);
    }

    private void applyFilters() {
        String a = action.getValue();
        load(pager.filter(a == null || a.equals(ALL_ACTIONS) ? null : a, WINDOWS.get(window.getValue())));
    }

    private void load(AuditPager wanted) {
        connection.then(connection.call("audit.query", wanted.params(Instant.now())), result -> {
            error.setText("");
            pager = wanted.withTotal(result.path("total").asLong());
            table.getItems().setAll(rows(result.path("entries")));
            table.setPlaceholder(new Label(wanted.action() == null && wanted.window() == null
                    ? "The audit log is empty." : "No audit entries match these filters."));
            updatePaging();
        }, failed -> {
            error.setText("Cannot read the audit log: " + failed.getMessage());
            updatePaging();
        });
    }

    private static List<JsonNode> rows(JsonNode entries) {
        List<JsonNode> out = new java.util.ArrayList<>();
        entries.forEach(out::add);
        return out;
    }

    private void updatePaging() {
        pageLabel.setText(pager.label());
        prev.setDisable(!pager.hasPrevious());
        next.setDisable(!pager.hasNext());
    }

    private void buildTable() {
        table.setId("auditTable");
        table.setPlaceholder(new Label("Loading…"));
        TableColumn<JsonNode, String> when = column("When", 160, e -> {
            Instant t = io.steep.repl.tray.connection.NodeRow.instant(e.get("occurred_at"));
            return t == null ? "?" : TIME.format(t);
        });
        TableColumn<JsonNode, String> act = column("Action", 150, e -> e.path("action").asText());
        TableColumn<JsonNode, String> actor = column("Actor", 170, e -> e.path("actor").asText());
        TableColumn<JsonNode, String> target = column("Target", 180, e -> e.path("target_type").asText("") + " " + e.path("target_id").asText(""));
        TableColumn<JsonNode, String> result = column("Result", 170, e -> e.path("success").asBoolean(true) ? "ok"
                : "failed" + (e.hasNonNull("error_message") ? ": " + e.path("error_message").asText() : ""));
        table.getColumns().setAll(List.of(when, act, actor, target, result));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(JsonNode item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().remove("audit-failed");
                if (!empty && item != null && !item.path("success").asBoolean(true)) {
                    getStyleClass().add("audit-failed");
                }
            }
        });
    }

    private static TableColumn<JsonNode, String> column(String title, double width, java.util.function.Function<JsonNode, String> value) {
        TableColumn<JsonNode, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    AuditPager pager() {
        return pager;
    }
}
