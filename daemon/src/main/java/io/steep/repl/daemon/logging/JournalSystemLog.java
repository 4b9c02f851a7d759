package io.steep.repl.daemon.logging;

import java.io.PrintStream;

/**
 * systemd services: journald captures stderr and honours {@code <N>} prefixes (SyslogLevelPrefix=yes is the
 * default), so each line gets the right PRIORITY without linking libsystemd. Multi-line messages (stack traces)
 * are prefixed line by line so no line loses its priority.
 */
public final class JournalSystemLog implements SystemLog {

    private final PrintStream out;

    public JournalSystemLog(PrintStream out) {
        this.out = out;
    }

    public static String format(int priority, String message) {
        String prefix = SyslogPriority.journalPrefix(priority);
        StringBuilder b = new StringBuilder();
        message.lines().forEach(l -> b.append(prefix).append(l).append('\n'));
        return b.toString();
    }

    @Override
    public void log(int priority, String message) {
        out.print(format(priority, message));
        out.flush();
    }

    @Override
    public String describe() {
        return "systemd journal (stderr with priority prefixes)";
    }
}
