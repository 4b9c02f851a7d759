package io.steep.repl.daemon.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the OS service manager says about the steep-repl service. Returned by
 * {@link ServiceControl#status(boolean)} for the {@code status} command and IPC {@code service.status}.
 *
 * @param manager   "systemd", "launchd" or "Windows SCM"
 * @param scope     system or user service
 * @param installed the unit / plist / service registration exists
 * @param enabled   starts at boot (system) or login (user)
 * @param state     what the service is doing now
 * @param mainPid   the daemon's process id while it runs, else {@code null}
 * @param since     when that process started, else {@code null}
 * @param detail    the manager's own words (sub-state, last exit code, why the state is unknown), may be empty
 */
public record ServiceStatus(String manager, ServiceScope scope, boolean installed, boolean enabled, State state,
                            Long mainPid, Instant since, String detail) {

    public enum State {
        ACTIVE, STARTING, STOPPING, INACTIVE, FAILED,
        /** not installed, or the manager could not be asked */
        UNKNOWN
    }

    public static ServiceStatus notInstalled(String manager, ServiceScope scope, String detail) {
        return new ServiceStatus(manager, scope, false, false, State.UNKNOWN, null, null, detail);
    }

    /** How long the daemon has been running, when it is. */
    public Optional<Duration> uptime(Instant now) {
        return since == null || state != State.ACTIVE ? Optional.empty() : Optional.of(Duration.between(since, now));
    }

    /** When a process started, read from the OS ({@code /proc} on Linux, sysctl on macOS, the process handle on Windows). */
    static Instant processStart(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(null);
    }
}
