package io.steep.repl.daemon.service;

/** Which service manager instance holds the service: the machine's, or the current user's. */
public enum ServiceScope {
    /** systemd system unit, launchd LaunchDaemon, Windows service. Needs root / an elevated prompt. */
    SYSTEM,
    /** systemd --user unit, launchd LaunchAgent (`--user`). No privileges needed; Windows has no such thing. */
    USER;

    public static ServiceScope of(boolean user) {
        return user ? USER : SYSTEM;
    }

    public boolean system() {
        return this == SYSTEM;
    }
}
