package io.steep.repl.daemon.service;

/**
 * procrun's stop entry point on Windows ({@code --StopMode=jvm --StopClass=...WindowsServiceStop --StopMethod=stop}).
 * procrun calls it in the service's own JVM when the service control manager asks the service to stop.
 */
public final class WindowsServiceStop {

    private WindowsServiceStop() {
    }

    /**
     * Exits the JVM. The daemon's graceful shutdown (close listeners, drain work, flush the audit spool, close the
     * pool) is a JVM shutdown hook, which is exactly what SIGTERM from systemd or launchd triggers on Unix: one
     * shutdown path on every OS. {@code main} then never returns normally, and procrun reports the service stopped
     * when the JVM is gone.
     */
    public static void stop(String[] args) {
        System.exit(0);
    }
}
