package io.steep.repl.tray;

import io.steep.repl.ipc.transport.BundledNativeLibraries;
import io.steep.repl.tray.certwizard.CertificateWizard;
import io.steep.repl.tray.connection.Backoff;
import io.steep.repl.tray.connection.DaemonConnection;
import io.steep.repl.tray.connection.DaemonLinkOpener;
import io.steep.repl.tray.connection.IpcClientLink;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.tray.dashboard.DashboardWindow;
import io.steep.repl.tray.extension.ExtensionInstaller;
import io.steep.repl.tray.notify.DesktopNotifications;
import io.steep.repl.tray.notify.HealthNotifier;
import io.steep.repl.tray.service.BundledDaemon;
import io.steep.repl.tray.service.InstallServiceDialog;
import io.steep.repl.tray.service.LaunchDaemonOffer;
import io.steep.repl.tray.service.LaunchDaemonOfferDialog;
import io.steep.repl.tray.service.ServiceControl;
import io.steep.repl.tray.traymenu.AwtTrayMenuController;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.stage.Stage;

import java.awt.AWTError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * steep-repl-tray: the tray icon, the dashboard and the wizards. Everything it does is an IPC call to the daemon;
 * it has no daemon code of its own. Not an {@link Application} itself: the java launcher refuses a main class that
 * extends Application when JavaFX is on the class path, so {@link Fx} is the JavaFX entry.
 */
public final class TrayApp implements AppActions {

    static final String USAGE = """
            Usage: steep-repl-tray [--socket PATH] [--no-tray] [--version]
              --socket PATH  the daemon's IPC socket (default: $STEEP_REPL_SOCKET, the user daemon's, the system service's)
              --no-tray      no tray icon: the dashboard is the main window
              --version      print the version and exit""";

    private DaemonConnection connection;
    private DashboardWindow dashboard;
    private ServiceControl service;
    private Optional<AwtTrayMenuController> tray = Optional.empty();

    public static void main(String[] args) {
        List<String> a = List.of(args);
        if (a.contains("--version")) {
            System.out.println("steep-repl-tray " + version());
            return;
        }
        if (a.contains("--help") || a.contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Optional<String> wrong = commandLineProblem(a);
        if (wrong.isPresent()) {
            System.err.println("steep-repl-tray: " + wrong.get());
            System.err.println(USAGE);
            System.exit(64); // as steep-repl: wrong command line
        }
        String os = System.getProperty("os.name", "");
        Optional<String> noDisplay = displayProblem(os, System.getenv());
        if (noDisplay.isPresent()) {
            System.err.println("steep-repl-tray: " + noDisplay.get());
            System.exit(1);
        }
        // junixsocket and JNA (the IPC client) load the distribution's unpacked libraries, not copies in /tmp
        BundledNativeLibraries.applyFromClassPath(System.getProperties());
        // the AWT tray needs a display; JavaFX decides its own toolkit
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "false"));
        if (!a.contains("--no-tray") && os.startsWith("Linux")) {
            try {
                AwtTrayMenuController.initAwtFirst();
            } catch (AWTError e) {
                cannotOpenDisplay(e); // DISPLAY is set, but nothing answers there (or this user may not use it)
            }
        }
        JavaFxLogging.dropClassPathWarning();
        try {
            Application.launch(Fx.class, args);
        } catch (UnsupportedOperationException e) {
            if (String.valueOf(e.getMessage()).contains("DISPLAY")) {
                cannotOpenDisplay(e); // GTK's "Unable to open DISPLAY" (with --no-tray, AWT did not look first)
            }
            throw e;
        }
    }

    private static void cannotOpenDisplay(Throwable why) {
        System.err.println("steep-repl-tray: cannot open the display " + System.getenv("DISPLAY") + " (" + why.getMessage()
                + "); is the desktop session running, and may this user use it (XAUTHORITY)?");
        System.exit(1);
    }

    public static String version() {
        String v = TrayApp.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Options that take a value; --screenshot-tour DIR is the docs' screenshot run (ScreenshotTour), not for users. */
    private static final List<String> WITH_VALUE = List.of("--socket", "--screenshot-tour");
    private static final List<String> FLAGS = List.of("--no-tray", "--version", "--help", "-h");

    /** What is wrong with the command line, if anything: an unknown argument, or an option without its value. */
    static Optional<String> commandLineProblem(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (WITH_VALUE.contains(arg)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    return Optional.of(arg + " needs a value");
                }
                i++;
            } else if (!FLAGS.contains(arg) && !arg.startsWith("-psn_")) { // -psn_…: what old macOS Finders pass
                return Optional.of("unknown argument " + arg);
            }
        }
        return Optional.empty();
    }

    /**
     * Why this desktop app cannot show anything here, if it cannot. On Linux both AWT (the tray icon) and JavaFX's
     * GTK glass draw through X11 — in a Wayland session through XWayland, which sets DISPLAY — so without DISPLAY
     * they would only fail with a stack trace.
     */
    static Optional<String> displayProblem(String os, Map<String, String> env) {
        if (os.startsWith("Windows") || os.startsWith("Mac") || isSet(env.get("DISPLAY"))) {
            return Optional.empty();
        }
        if (isSet(env.get("WAYLAND_DISPLAY"))) {
            return Optional.of("DISPLAY is not set: the tray draws through X11, and this Wayland session has no XWayland"
                    + " (or does not pass DISPLAY on). Start it where XWayland runs, or set DISPLAY");
        }
        return Optional.of("no display: DISPLAY is not set. The tray is a desktop app: start it inside a desktop session"
                + " (`steep-repl status` shows the daemon from a terminal)");
    }

    private static boolean isSet(String v) {
        return v != null && !v.isBlank();
    }

    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i >= 0 && i + 1 < args.size()) {
            return args.get(i + 1);
        }
        return null;
    }

    /** The JavaFX application: builds a {@link TrayApp} from the command line. */
    public static final class Fx extends Application {

        private TrayApp app;

        @Override
        public void start(Stage primary) {
            app = new TrayApp();
            app.start(getParameters().getRaw());
        }

        @Override
        public void stop() {
            app.stopped();
        }
    }

    void start(List<String> args) {
        String socket = SocketLocation.resolve(option(args, "--socket"), System.getenv("STEEP_REPL_SOCKET"),
                System.getenv("XDG_RUNTIME_DIR"), System.getProperty("user.home"), System.getProperty("os.name", ""));
        start(IpcClientLink.opener(IpcEndpoint.of(socket)), args.contains("--no-tray"), option(args, "--screenshot-tour"));
    }

    /** Also the entry for UI tests, which pass an opener for their own socket. */
    public void start(DaemonLinkOpener opener, boolean noTray, String screenshotTour) {
        connection = new DaemonConnection(opener, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), Platform::runLater);
        dashboard = new DashboardWindow(connection, this);
        service = new ServiceControl(connection, dashboard::stage);
        if (!noTray && screenshotTour == null) {
            tray = AwtTrayMenuController.install(connection.model().trayStateProperty(), connection.model().serviceProperty(), this);
        }
        if (tray.isPresent()) {
            Platform.setImplicitExit(false);
            AwtTrayMenuController t = tray.get();
            new HealthNotifier(connection.model().trayStateProperty(), t::notify);
        } else {
            // no tray host (some Linux desktops): the dashboard is the main window and closing it quits
            dashboard.stage().setOnCloseRequest(e -> quit());
            new HealthNotifier(connection.model().trayStateProperty(), n -> {
                if (dashboard.stage().isShowing()) {
                    DesktopNotifications.show(n);
                }
            });
            dashboard.show();
        }
        connection.start();
        if (screenshotTour != null) {
            new ScreenshotTour(this, Path.of(screenshotTour)).run();
        } else {
            offerLaunchDaemon();
        }
    }

    /** macOS, started from steep-repl.app, no LaunchDaemon yet: a DMG has no install script, so the tray offers it. */
    private void offerLaunchDaemon() {
        Path appSupport = LaunchDaemonOffer.appSupportDir(System.getProperty("user.home"));
        if (LaunchDaemonOffer.decideForThisProcess(appSupport) == LaunchDaemonOffer.Decision.OFFER) {
            Path daemon = LaunchDaemonOffer.bundledDaemon(System.getProperty("jpackage.app-path")).orElseThrow();
            Platform.runLater(() -> new LaunchDaemonOfferDialog(dashboard.stage().isShowing() ? dashboard.stage() : null,
                    appSupport, daemon, LaunchDaemonOfferDialog.processRunner(), connection::reconnectNow).show());
        }
    }

    DaemonConnection connection() {
        return connection;
    }

    public DashboardWindow dashboard() {
        return dashboard;
    }

    @Override
    public void openDashboard() {
        dashboard.show();
    }

    @Override
    public void startService() {
        service.start();
    }

    @Override
    public void stopService() {
        service.stop();
    }

    @Override
    public void restartService() {
        service.restart();
    }

    @Override
    public void installService() {
        new InstallServiceDialog(connection, dashboard.stage().isShowing() ? dashboard.stage() : null).show();
    }

    @Override
    public void uninstallService() {
        service.uninstall();
    }

    @Override
    public void openCertificateWizard() {
        certificateWizard().show();
    }

    CertificateWizard certificateWizard() {
        return new CertificateWizard(connection, dashboard.stage().isShowing() ? dashboard.stage() : null);
    }

    @Override
    public void openExtensionInstaller() {
        extensionInstaller().show();
    }

    ExtensionInstaller extensionInstaller() {
        return new ExtensionInstaller(connection, dashboard.stage().isShowing() ? dashboard.stage() : null);
    }

    @Override
    public void startBundledDaemon() {
        Optional<Path> launcher = BundledDaemon.find();
        if (launcher.isEmpty()) {
            Alert a = new Alert(Alert.AlertType.ERROR, "No steep-repl daemon launcher was found next to the tray or on PATH. "
                    + "Install steep-repl, or set STEEP_REPL_DAEMON to its bin/steep-repl.");
            a.initOwner(dashboard.stage());
            a.setHeaderText("Cannot start the daemon");
            a.show();
            return;
        }
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "steep-repl-tray-daemon.log");
        try {
            BundledDaemon.start(launcher.get(), log);
            connection.model().linkMessageProperty().set("Started " + launcher.get() + " run --user (log: " + log + "); connecting…");
            connection.reconnectNow();
        } catch (java.io.IOException e) {
            Alert a = new Alert(Alert.AlertType.ERROR, launcher.get() + ": " + e.getMessage());
            a.initOwner(dashboard.stage());
            a.setHeaderText("Cannot start the daemon");
            a.show();
        }
    }

    @Override
    public void quit() {
        tray.ifPresent(AwtTrayMenuController::remove);
        if (connection != null) {
            connection.close();
        }
        Platform.exit();
    }

    void stopped() {
        if (connection != null) {
            connection.close();
        }
        // the AWT event thread (tray) would keep the JVM alive
        if (tray.isPresent()) {
            Runtime.getRuntime().halt(0);
        }
    }
}
