package io.steep.repl.tray.dashboard;

import java.time.Duration;
import java.time.Instant;

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago", "never" — for last-seen columns. */
public final class RelativeTime {

    private RelativeTime() {
    }

    public static String since(Instant then, Instant now) {
        if (then == null) {
            return "never";
        }
        long s = Duration.between(then, now).getSeconds();
        if (s < 0) {
            // clocks of two nodes disagree; say so rather than print a negative age
            return "in the future (clock skew)";
        }
        if (s < 5) {
            return "just now";
        }
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " d ago";
    }

    /** An uptime as "3 d 4 h", "2 h 5 min", "4 min 2 s", "12 s". */
    public static String duration(long seconds) {
        if (seconds < 0) {
            seconds = 0;
        }
        long d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60, s = seconds % 60;
        if (d > 0) {
            return d + " d " + h + " h";
        }
        if (h > 0) {
            return h + " h " + m + " min";
        }
        if (m > 0) {
            return m + " min " + s + " s";
        }
        return s + " s";
    }
}
