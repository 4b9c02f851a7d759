package io.steep.repl.tray;

/** What the tray menu and the dashboard's toolbar can do; {@link TrayApp} implements it once for both. */
public interface AppActions {

    void openDashboard();

    void startService();

    void stopService();

    void restartService();

    void installService();

    void uninstallService();

    void openCertificateWizard();

    void openExtensionInstaller();

    /** Runs the bundled daemon for this user ({@code steep-repl run --user}) and connects to it. */
    void startBundledDaemon();

    void quit();
}
