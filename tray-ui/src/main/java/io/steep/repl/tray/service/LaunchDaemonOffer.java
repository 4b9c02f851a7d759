package io.steep.repl.tray.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The macOS first-run offer to install the background service. A DMG cannot run install scripts, so the tray, when
 * started from inside {@code steep-repl.app}, offers to run the bundled {@code Contents/MacOS/steep-repl install}
 * and {@code start} with administrator privileges (through {@code osascript}, which shows the system's password
 * prompt). Everything here is platform-free so the decision and the command line are tested on any OS; the dialog
 * is {@link LaunchDaemonOfferDialog}.
 */
public final class LaunchDaemonOffer {

    /**
     * Where {@code steep-repl install} puts the LaunchDaemon. The tray never depends on the daemon module, so this
     * repeats the daemon's {@code LaunchdServiceManager.SYSTEM_PLIST} ({@code LaunchdPlist.LABEL + ".plist"}).
     */
    public static final String SYSTEM_PLIST = "/Library/LaunchDaemons/io.steep.repl.plist";

    /** The marker of "don't ask again", in the user's app-support dir (the daemon's per-user config dir). */
    static final String DECLINED_FILE = "tray-declined-launchdaemon";

    public enum Decision {
        /** ask the user */
        OFFER,
        /** not macOS: the DEB and the MSI install the service themselves */
        NOT_MACOS,
        /** a tray started from a plain distribution or a development build: no bundled daemon to install */
        NOT_IN_APP_BUNDLE,
        /** the LaunchDaemon plist exists already */
        ALREADY_INSTALLED,
        /** the user said "don't ask again" */
        DECLINED
    }

    private LaunchDaemonOffer() {
    }

    public static Decision decide(String osName, Optional<Path> bundledDaemon, boolean plistExists, boolean declined) {
        if (osName == null || !osName.toLowerCase().startsWith("mac")) {
            return Decision.NOT_MACOS;
        }
        if (bundledDaemon.isEmpty()) {
            return Decision.NOT_IN_APP_BUNDLE;
        }
        if (plistExists) {
            return Decision.ALREADY_INSTALLED;
        }
        return declined ? Decision.DECLINED : Decision.OFFER;
    }

    /**
     * The daemon launcher next to the tray's, when the tray runs from an app bundle: jpackage sets
     * {@code jpackage.app-path} to {@code …/steep-repl.app/Contents/MacOS/steep-repl-tray}.
     */
    public static Optional<Path> bundledDaemon(String appPath) {
        if (appPath == null || appPath.isBlank()) {
            return Optional.empty();
        }
        Path launcher = Path.of(appPath);
        Path macos = launcher.getParent();
        if (macos == null || !macos.getFileName().toString().equals("MacOS")) {
            return Optional.empty();
        }
        Path contents = macos.getParent();
        if (contents == null || !contents.getFileName().toString().equals("Contents") || contents.getParent() == null
                || !contents.getParent().getFileName().toString().endsWith(".app")) {
            return Optional.empty();
        }
        return Optional.of(macos.resolve("steep-repl"));
    }

    /** The decision for this process, from the real system properties and file system. */
    public static Decision decideForThisProcess(Path appSupportDir) {
        Optional<Path> daemon = bundledDaemon(System.getProperty("jpackage.app-path")).filter(Files::isExecutable);
        return decide(System.getProperty("os.name", ""), daemon, Files.exists(Path.of(SYSTEM_PLIST)), declined(appSupportDir));
    }

    /** {@code ~/Library/Application Support/steep}: where the daemon keeps per-user config on macOS. */
    public static Path appSupportDir(String userHome) {
        return Path.of(userHome, "Library", "Application Support", "steep");
    }

    public static boolean declined(Path appSupportDir) {
        return Files.exists(appSupportDir.resolve(DECLINED_FILE));
    }

    /** Remembers "don't ask again"; the file says how to undo it. */
    public static void rememberDecline(Path appSupportDir) throws IOException {
        Files.createDirectories(appSupportDir);
        Files.writeString(appSupportDir.resolve(DECLINED_FILE), """
                The steep-repl tray does not offer to install the background service while this file exists.
                Delete it to be asked again, or install the service yourself:
                  sudo /Applications/steep-repl.app/Contents/MacOS/steep-repl install
                  sudo /Applications/steep-repl.app/Contents/MacOS/steep-repl start
                """);
    }

    /**
     * {@code osascript -e 'do shell script "…" with administrator privileges'}: one password prompt for both steps.
     * The path is quoted for the shell first, then the whole shell line for the AppleScript string literal.
     */
    public static List<String> installCommand(Path daemon) {
        String launcher = shellQuote(daemon.toString());
        String shell = launcher + " install && " + launcher + " start";
        return List.of("osascript", "-e", "do shell script " + appleScriptString(shell) + " with administrator privileges");
    }

    /** POSIX sh single quotes: nothing inside is special; a single quote becomes {@code '\''}. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** An AppleScript string literal: backslash and double quote are the only escapes it needs. */
    static String appleScriptString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** What the user reads after a failed install, with what to do about it. */
    public static String explainFailure(int exitCode, String output) {
        String out = output == null ? "" : output.strip();
        if (out.contains("-128") || out.toLowerCase().contains("user canceled")) {
            return "The administrator prompt was cancelled, so nothing was installed. Choose \"Install background service\""
                    + " in the tray menu to try again.";
        }
        return "Installing the background service failed (exit " + exitCode + ")" + (out.isEmpty() ? "." : ":\n" + out)
                + "\n\nRun it in Terminal to see every step:\n"
                + "  sudo /Applications/steep-repl.app/Contents/MacOS/steep-repl install\n"
                + "  sudo /Applications/steep-repl.app/Contents/MacOS/steep-repl start\n"
                + "If install says it is already installed, run `… uninstall` first. If the service starts and stops at"
                + " once, set repl.node_id in /Library/Application Support/steep/config.yaml (see docs/install.md).";
    }
}
