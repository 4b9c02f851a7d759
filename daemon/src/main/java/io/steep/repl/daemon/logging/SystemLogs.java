package io.steep.repl.daemon.logging;

import io.steep.repl.daemon.config.PlatformPaths;

import java.util.Map;
import java.util.Optional;

/** The one place that decides which {@link SystemLog} a process uses, from the OS and its environment. */
public final class SystemLogs {

    public enum Kind { JOURNAL, WINDOWS_EVENT_LOG, MAC_UNIFIED_LOG }

    private SystemLogs() {
    }

    /**
     * Linux under systemd ({@code JOURNAL_STREAM} or {@code INVOCATION_ID} set) → journal; macOS under launchd as a
     * service ({@code XPC_SERVICE_NAME} set, not "0") → unified log; Windows as a service ({@code STEEP_REPL_SERVICE}
     * set by the service wrapper) → Event Log. Otherwise none: a person is watching stderr.
     */
    public static Optional<Kind> choose(PlatformPaths.Os os, Map<String, String> env) {
        return switch (os) {
            case LINUX -> set(env, "JOURNAL_STREAM") || set(env, "INVOCATION_ID") ? Optional.of(Kind.JOURNAL) : Optional.empty();
            case MACOS -> set(env, "XPC_SERVICE_NAME") && !"0".equals(env.get("XPC_SERVICE_NAME"))
                    ? Optional.of(Kind.MAC_UNIFIED_LOG) : Optional.empty();
            case WINDOWS -> set(env, "STEEP_REPL_SERVICE") ? Optional.of(Kind.WINDOWS_EVENT_LOG) : Optional.empty();
        };
    }

    public static SystemLog open(Kind kind) {
        return switch (kind) {
            case JOURNAL -> new JournalSystemLog(System.err);
            case WINDOWS_EVENT_LOG -> new WindowsEventLog();
            case MAC_UNIFIED_LOG -> new MacUnifiedLog();
        };
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
