package io.steep.repl.tray.traymenu;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.tray.AppActions;
import io.steep.repl.tray.connection.DaemonModel;
import io.steep.repl.tray.notify.HealthNotifier;
import javafx.application.Platform;
import javafx.beans.value.ObservableValue;

import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.util.List;
import java.util.Optional;

/**
 * The only AWT code of the app: the tray icon and its menu. AWT events hop to the JavaFX thread before they touch
 * anything else; model changes hop to the AWT thread before they touch the icon. Where there is no tray host
 * ({@link #install} returns empty) the dashboard is the main window instead.
 */
public final class AwtTrayMenuController {

    private final TrayIcon icon;
    private final int size;

    private AwtTrayMenuController(TrayIcon icon, int size) {
        this.icon = icon;
        this.size = size;
    }

    /**
     * Starts AWT's toolkit before JavaFX starts GTK. Started later, from the JavaFX thread inside GTK's main loop,
     * AWT's X11 toolkit replaced Xlib's error handler while GDK had an error trap pushed ("XSetErrorHandler()
     * called with a GDK error trap pushed"), and the process could die in the GTK loop with a corrupted heap
     * (reproduced under xvfb-run on Debian 12: SIGSEGV in libc at every start). X11 only: on macOS AWT and JavaFX
     * share AppKit's main thread, and an AWT started first would make JavaFX run embedded in it, so the tray calls
     * this on Linux alone.
     */
    public static void initAwtFirst() {
        if (!GraphicsEnvironment.isHeadless()) {
            java.awt.Toolkit.getDefaultToolkit();
            SystemTray.isSupported();
        }
    }

    /** Adds the icon to the system tray, or returns empty when this desktop has none (or runs headless). */
    public static Optional<AwtTrayMenuController> install(ObservableValue<TrayState> state, ObservableValue<JsonNode> service,
                                                          AppActions actions) {
        if (GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) {
            return Optional.empty();
        }
        SystemTray tray = SystemTray.getSystemTray();
        int size = TrayIcons.bestSize(Math.max(tray.getTrayIconSize().width, tray.getTrayIconSize().height));
        PopupMenu menu = new PopupMenu();
        menu.add(item("Open dashboard", () -> fx(actions::openDashboard)));
        menu.addSeparator();
        List<MenuItem> serviceItems = List.of(item("Start service", () -> fx(actions::startService)),
                item("Stop service", () -> fx(actions::stopService)), item("Restart service", () -> fx(actions::restartService)));
        serviceItems.forEach(menu::add);
        menu.addSeparator();
        menu.add(item("Install service…", () -> fx(actions::installService)));
        menu.add(item("Generate certificates…", () -> fx(actions::openCertificateWizard)));
        menu.add(item("Install extension…", () -> fx(actions::openExtensionInstaller)));
        menu.addSeparator();
        menu.add(item("Quit", () -> fx(actions::quit)));

        TrayState initial = state.getValue();
        TrayIcon icon = new TrayIcon(image(initial.level(), size), oneLine(initial.tooltip()), menu);
        icon.setImageAutoSize(true);
        // a left click opens the dashboard; the menu stays on the right button as every tray host expects
        icon.addActionListener(e -> fx(actions::openDashboard));
        try {
            tray.add(icon);
        } catch (AWTException e) {
            return Optional.empty();
        }
        AwtTrayMenuController controller = new AwtTrayMenuController(icon, size);
        state.addListener((o, a, b) -> controller.show(b));
        // as the dashboard's buttons: with no service installed, only "Install service…" is offered
        service.subscribe(s -> {
            boolean enabled = !DaemonModel.noServiceInstalled(s);
            EventQueue.invokeLater(() -> serviceItems.forEach(i -> i.setEnabled(enabled)));
        });
        return Optional.of(controller);
    }

    private static MenuItem item(String label, Runnable action) {
        MenuItem i = new MenuItem(label);
        i.addActionListener(e -> action.run());
        return i;
    }

    private static void fx(Runnable r) {
        Platform.runLater(r);
    }

    private static Image image(TrayState.Level level, int size) {
        return TrayIcons.awt(level.icon(), size);
    }

    private void show(TrayState s) {
        EventQueue.invokeLater(() -> {
            icon.setImage(image(s.level(), size));
            icon.setToolTip(oneLine(s.tooltip()));
        });
    }

    /** AWT tooltips are one line on X11 and Windows: "steep-repl: healthy · Node: node-a · … — problem". */
    static String oneLine(String tooltip) {
        return tooltip.replace("\n• ", " — ").replace("\n", " · ");
    }

    /** A balloon from the tray icon: the notification where a tray exists. */
    public void notify(HealthNotifier.Notice n) {
        TrayIcon.MessageType type = switch (n.level()) {
            case HEALTHY -> TrayIcon.MessageType.INFO;
            case DEGRADED -> TrayIcon.MessageType.WARNING;
            case UNHEALTHY, UNREACHABLE -> TrayIcon.MessageType.ERROR;
        };
        EventQueue.invokeLater(() -> icon.displayMessage(n.title(), n.text(), type));
    }

    public void remove() {
        EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }
}
