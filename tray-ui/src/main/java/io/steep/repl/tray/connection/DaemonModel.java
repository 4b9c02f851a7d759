package io.steep.repl.tray.connection;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.tray.traymenu.TrayState;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.List;

/**
 * What the windows show, as JavaFX properties. Only {@link DaemonConnection} writes it, always on the JavaFX
 * thread, so views can bind to it directly.
 */
public final class DaemonModel {

    public enum Link { CONNECTING, CONNECTED, RECONNECTING }

    private final ObjectProperty<Link> link = new SimpleObjectProperty<>(Link.CONNECTING);
    private final StringProperty linkMessage = new SimpleStringProperty("Connecting to the daemon…");
    private final ObjectProperty<JsonNode> status = new SimpleObjectProperty<>();
    private final ObjectProperty<Instant> statusReceivedAt = new SimpleObjectProperty<>();
    private final ObjectProperty<JsonNode> health = new SimpleObjectProperty<>();
    private final ObjectProperty<JsonNode> certs = new SimpleObjectProperty<>();
    private final ObjectProperty<JsonNode> service = new SimpleObjectProperty<>();
    private final ObservableList<NodeRow> nodes = FXCollections.observableArrayList();
    private final ObjectProperty<TrayState> trayState = new SimpleObjectProperty<>(TrayState.unreachable("Connecting to the daemon…"));
    /** Bumped on every {@code audit.appended} event: the audit view reloads its first page when it changes. */
    private final LongProperty auditVersion = new SimpleLongProperty();

    public DaemonModel() {
        link.addListener((o, a, b) -> recompute());
        status.addListener((o, a, b) -> recompute());
        health.addListener((o, a, b) -> recompute());
        certs.addListener((o, a, b) -> recompute());
        nodes.addListener((javafx.collections.ListChangeListener<NodeRow>) c -> recompute());
    }

    private void recompute() {
        trayState.set(link.get() == Link.CONNECTED
                ? TrayState.of(status.get(), health.get(), certs.get(), List.copyOf(nodes))
                : TrayState.unreachable(linkMessage.get()));
    }

    void connected(String message) {
        linkMessage.set(message);
        link.set(Link.CONNECTED);
    }

    void disconnected(Link state, String message) {
        linkMessage.set(message);
        link.set(state);
        recompute();
    }

    void status(JsonNode s) {
        statusReceivedAt.set(Instant.now());
        status.set(s);
    }

    void health(JsonNode h) {
        health.set(h);
    }

    void certs(JsonNode c) {
        certs.set(c);
    }

    void service(JsonNode s) {
        service.set(s);
    }

    void nodes(List<NodeRow> rows) {
        nodes.setAll(rows);
    }

    /** Applies a {@code node.changed} event: {@code {"node":…, "change":"registered|updated|removed"}}. */
    void nodeChanged(JsonNode data) {
        if (data == null || !data.has("node")) {
            return;
        }
        NodeRow row = NodeRow.of(data.get("node"));
        boolean removed = "removed".equals(data.path("change").asText());
        List<NodeRow> next = new java.util.ArrayList<>();
        boolean replaced = false;
        for (NodeRow n : nodes) {
            if (n.nodeId().equals(row.nodeId())) {
                replaced = true;
                if (!removed) {
                    next.add(row);
                }
            } else if (row.coordinator() && n.coordinator() && !removed) {
                // one coordinator per cluster: the event names the new one, so the old row's mark is stale
                next.add(new NodeRow(n.nodeId(), n.nodeName(), n.host(), n.port(), n.priority(), false, n.lastSeen(), n.status()));
            } else {
                next.add(n);
            }
        }
        if (!replaced && !removed) {
            next.add(row);
        }
        // one list change, so listeners (tray state, table) never see a half-applied event
        nodes.setAll(next);
    }

    void auditAppended() {
        auditVersion.set(auditVersion.get() + 1);
    }

    public ReadOnlyObjectProperty<Link> linkProperty() {
        return link;
    }

    public StringProperty linkMessageProperty() {
        return linkMessage;
    }

    public ReadOnlyObjectProperty<JsonNode> statusProperty() {
        return status;
    }

    public ReadOnlyObjectProperty<Instant> statusReceivedAtProperty() {
        return statusReceivedAt;
    }

    public ReadOnlyObjectProperty<JsonNode> healthProperty() {
        return health;
    }

    public ReadOnlyObjectProperty<JsonNode> certsProperty() {
        return certs;
    }

    public ReadOnlyObjectProperty<JsonNode> serviceProperty() {
        return service;
    }

    /**
     * Whether {@code service.status} says no steep-repl service is installed. Start, stop, restart and uninstall
     * are then only an error away, and the dashboard and the tray menu turn them off. Unknown (no daemon, no service
     * manager) is not "none": those are left to the daemon to answer.
     */
    public static boolean noServiceInstalled(JsonNode serviceStatus) {
        return serviceStatus != null && serviceStatus.has("installed") && !serviceStatus.path("installed").asBoolean();
    }

    public ObservableList<NodeRow> nodes() {
        return FXCollections.unmodifiableObservableList(nodes);
    }

    public ReadOnlyObjectProperty<TrayState> trayStateProperty() {
        return trayState;
    }

    public LongProperty auditVersionProperty() {
        return auditVersion;
    }
}
