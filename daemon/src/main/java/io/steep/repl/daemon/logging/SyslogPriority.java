package io.steep.repl.daemon.logging;

import ch.qos.logback.classic.Level;

/** syslog(3) priorities, which journald also reads as {@code <N>} line prefixes on a service's stderr. */
public final class SyslogPriority {

    public static final int ERR = 3;
    public static final int WARNING = 4;
    public static final int INFO = 6;
    public static final int DEBUG = 7;
    /** LOG_DAEMON facility, for syslog(3) on macOS. */
    public static final int FACILITY_DAEMON = 3 << 3;

    private SyslogPriority() {
    }

    public static int of(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return ERR;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return WARNING;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return INFO;
        }
        return DEBUG;
    }

    /** The prefix journald turns into the entry's PRIORITY field, e.g. {@code <4>}. */
    public static String journalPrefix(int priority) {
        return "<" + priority + ">";
    }
}
