package io.steep.repl.tray.notify;

import io.steep.repl.tray.traymenu.TrayState;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/** Without a tray icon to attach a balloon to, ControlsFX shows the notice in a corner of the screen. */
public final class DesktopNotifications {

    private DesktopNotifications() {
    }

    /** Must run on the JavaFX thread, with a window showing (ControlsFX places the popup relative to it). */
    public static void show(HealthNotifier.Notice n) {
        Notifications note = Notifications.create().title(n.title()).text(n.text()).hideAfter(Duration.seconds(8));
        if (n.level() == TrayState.Level.HEALTHY) {
            note.showInformation();
        } else if (n.level() == TrayState.Level.DEGRADED) {
            note.showWarning();
        } else {
            note.showError();
        }
    }
}
