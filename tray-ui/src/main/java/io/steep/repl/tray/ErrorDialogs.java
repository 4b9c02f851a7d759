package io.steep.repl.tray;

import io.steep.repl.tray.connection.DaemonCallException;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.stage.Window;

/**
 * Turns a failed daemon call into a dialog that says what happened and what to do. The daemon's message is always
 * shown as it is (it names files and settings); the hint adds what the tray knows about the code.
 */
public final class ErrorDialogs {

    private ErrorDialogs() {
    }

    /** A hint for the user, or "" when the daemon's message says it all. */
    public static String hint(DaemonCallException e) {
        return switch (e.code()) {
            case "PERMISSION_DENIED" -> "This needs elevated rights. Run the tray as an administrator, or run the "
                    + "same action from a terminal with sudo (e.g. sudo steep-repl install).";
            case DaemonCallException.DAEMON_UNREACHABLE -> "The daemon is not running or its socket is elsewhere. "
                    + "Start it (\"Start bundled daemon\" in the dashboard) or start the service.";
            case DaemonCallException.TIMEOUT -> "The daemon did not answer in time; it may be busy or stuck. Check its log.";
            case "NOT_CONNECTED" -> "The daemon cannot reach PostgreSQL. Check that the server runs and the "
                    + "postgresql section of the daemon's config.";
            case "EXTENSION_NOT_INSTALLED" -> "Install the steep_repl extension: Extension… in the tray menu.";
            case "NOT_IMPLEMENTED" -> "This daemon version does not offer this action yet.";
            case "ALREADY_EXISTS" -> "Nothing was changed.";
            default -> "";
        };
    }

    public static Alert alert(Window owner, String title, DaemonCallException e) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title + " failed (" + e.code() + ")");
        String hint = hint(e);
        Label body = new Label(e.getMessage() + (hint.isEmpty() ? "" : "\n\n" + hint));
        body.setWrapText(true);
        body.setId("errorText");
        body.setMaxWidth(460);
        body.setPrefWidth(460); // the dialog takes its content's preferred width: unwrapped, that is the whole text
        a.getDialogPane().setContent(body);
        return a;
    }

    public static void show(Window owner, String title, DaemonCallException e) {
        alert(owner, title, e).show();
    }
}
