package io.steep.repl.daemon.service;

import java.util.List;
import java.util.Optional;

/**
 * The steep-repl launchd job: a LaunchDaemon ({@code /Library/LaunchDaemons}) or, with {@code --user}, a
 * LaunchAgent ({@code ~/Library/LaunchAgents}). Written by a small XML writer rather than a text template because
 * every string (paths with spaces, {@code &} in a user name...) must be XML-escaped. Pure: the DMG build renders
 * the same plist.
 *
 * @param launcher   absolute path of the installed launcher
 * @param configFile passed as {@code run --config <file>}
 * @param logFile    StandardOutPath and StandardErrorPath (one file: the daemon logs to stdout, the JVM's fatal
 *                   errors go to stderr, and one file keeps them in order)
 * @param userName   the account a LaunchDaemon runs as; empty for a LaunchAgent (runs as the logged-in user)
 * @param workingDirectory the job's working directory (the data directory)
 */
public record LaunchdPlist(String launcher, String configFile, String logFile, Optional<String> userName,
                           String workingDirectory) {

    public static final String LABEL = "io.steep.repl";
    public static final String FILE_NAME = LABEL + ".plist";

    public List<String> programArguments() {
        return List.of(launcher, "run", "--config", configFile);
    }

    public String render() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
        x.append("<plist version=\"1.0\">\n<dict>\n");
        key(x, "Label").append("  <string>").append(escape(LABEL)).append("</string>\n");
        key(x, "ProgramArguments").append("  <array>\n");
        for (String arg : programArguments()) {
            x.append("    <string>").append(escape(arg)).append("</string>\n");
        }
        x.append("  </array>\n");
        userName.ifPresent(u -> key(x, "UserName").append("  <string>").append(escape(u)).append("</string>\n"));
        key(x, "WorkingDirectory").append("  <string>").append(escape(workingDirectory)).append("</string>\n");
        // Start at boot (LaunchDaemon) or login (LaunchAgent) ...
        key(x, "RunAtLoad").append("  <true/>\n");
        // ... and restart after a crash, but not after a clean exit: the equivalent of systemd's Restart=on-failure.
        key(x, "KeepAlive").append("  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n");
        // Don't restart in a tight loop when the config is broken.
        key(x, "ThrottleInterval").append("  <integer>10</integer>\n");
        // launchd sends SIGTERM on bootout (the JVM's shutdown hooks stop the daemon gracefully), SIGKILL after this.
        key(x, "ExitTimeOut").append("  <integer>30</integer>\n");
        key(x, "ProcessType").append("  <string>Background</string>\n");
        key(x, "StandardOutPath").append("  <string>").append(escape(logFile)).append("</string>\n");
        key(x, "StandardErrorPath").append("  <string>").append(escape(logFile)).append("</string>\n");
        x.append("</dict>\n</plist>\n");
        return x.toString();
    }

    private static StringBuilder key(StringBuilder x, String key) {
        return x.append("  <key>").append(key).append("</key>\n");
    }

    /** XML text escaping; characters XML 1.0 cannot carry at all are refused rather than silently dropped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        throw new IllegalArgumentException("control character U+%04X cannot be written to a plist: %s"
                                .formatted((int) c, text));
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
