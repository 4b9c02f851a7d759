package io.steep.repl.tray.service;

import io.steep.repl.tray.ErrorDialogs;
import io.steep.repl.tray.connection.DaemonConnection;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.Window;

import java.util.function.Supplier;

/**
 * Start / stop / restart / uninstall of the OS service, each one {@code service.*} call. The daemon's error (e.g.
 * "needs elevation") is shown as it is, with a hint.
 */
public final class ServiceControl {

    private final DaemonConnection connection;
    private final Supplier<Window> owner;

    public ServiceControl(DaemonConnection connection, Supplier<Window> owner) {
        this.connection = connection;
        this.owner = owner;
    }

    public void start() {
        run("service.start", "Start service");
    }

    public void stop() {
        if (confirm("Stop the steep-repl service?", "This node stops taking part in the cluster until the service is started again.")) {
            run("service.stop", "Stop service");
        }
    }

    public void restart() {
        run("service.restart", "Restart service");
    }

    public void uninstall() {
        if (confirm("Uninstall the steep-repl service?", "The service is stopped and removed; configuration, certificates and the database stay.")) {
            run("service.uninstall", "Uninstall service");
        }
    }

    private void run(String method, String title) {
        connection.then(connection.call(method, null, DaemonConnection.LONG_CALL_TIMEOUT), r -> {
            if (r.path("scheduled").asBoolean()) {
                // the daemon we talk to is the service: it answers first, then goes; the link reconnects by itself
                scheduledNotice(title, r.path("message").asText("")).show();
            } else {
                connection.refresh();
            }
        }, failed -> ErrorDialogs.show(owner.get(), title, failed));
    }

    /** Says that the daemon will stop (and come back, for a restart) and that the tray reconnects by itself. */
    Alert scheduledNotice(String title, String daemonMessage) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner.get());
        a.setTitle(title);
        a.setHeaderText(title + ": the daemon is about to go");
        Label body = new Label(daemonMessage + (daemonMessage.isEmpty() ? "" : "\n\n")
                + "This tray talks to that daemon, so the connection drops now; the tray keeps trying to reconnect"
                + " and shows the daemon again as soon as it is back.");
        body.setWrapText(true);
        body.setMaxWidth(460);
        body.setPrefWidth(460); // the dialog takes its content's preferred width: unwrapped, that is the whole text
        body.setId("serviceScheduledText");
        a.getDialogPane().setContent(body);
        return a;
    }

    private boolean confirm(String header, String text) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.CANCEL, ButtonType.OK);
        a.initOwner(owner.get());
        a.setHeaderText(header);
        return a.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }
}
