package io.steep.repl.daemon.logging;

/**
 * The operating system's own log, for a daemon running as a service: the systemd journal (through stderr with
 * priority prefixes), the Windows Event Log, macOS's unified log. One message per call, already formatted.
 */
public interface SystemLog extends AutoCloseable {

    /** @param priority a {@link SyslogPriority} value */
    void log(int priority, String message);

    /** For the start-up line saying where logs go. */
    String describe();

    @Override
    default void close() {
    }
}
