package io.steep.repl.daemon.logging;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * macOS: syslog(3) from libc, which Apple routes into the unified log (visible with
 * {@code log show --predicate 'process == "java"'} or Console.app). os_log itself is a C macro, not callable
 * through JNA; syslog is its supported bridge.
 */
public final class MacUnifiedLog implements SystemLog {

    interface LibC extends Library {
        void openlog(String ident, int option, int facility);

        void syslog(int priority, String format, String arg);

        void closelog();
    }

    private static final int LOG_PID = 0x01;
    private final LibC libc;

    public MacUnifiedLog() {
        libc = Native.load("c", LibC.class);
        libc.openlog("steep-repl", LOG_PID, SyslogPriority.FACILITY_DAEMON);
    }

    /** The priority argument of syslog(3): facility | level. */
    public static int syslogPriority(int priority) {
        return SyslogPriority.FACILITY_DAEMON | priority;
    }

    @Override
    public void log(int priority, String message) {
        libc.syslog(syslogPriority(priority), "%s", message); // never pass the message as the format
    }

    @Override
    public String describe() {
        return "macOS unified log (syslog, daemon facility)";
    }

    @Override
    public void close() {
        libc.closelog();
    }
}
