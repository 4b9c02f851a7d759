package io.steep.repl.daemon.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way upstream (Go's {@code time.ParseDuration}) writes them: a sequence of
 * number+unit pairs, e.g. {@code 1s}, {@code 500ms}, {@code 1h30m}, {@code 17520h}. Units: ns, us (µs), ms, s, m, h.
 * Fractions are allowed ({@code 1.5h}); a sign is not — no setting of ours takes a negative duration.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message saying what is expected */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        long nanos = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("expected a duration like 1s, 500ms, 1h30m or 17520h");
            }
            double value = Double.parseDouble(m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            double part = value * unit;
            if (part > Long.MAX_VALUE - nanos) {
                throw new IllegalArgumentException("duration too large");
            }
            nanos += (long) part;
            at = m.end();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("expected a duration like 1s, 500ms, 1h30m or 17520h");
        }
        return Duration.ofNanos(nanos);
    }

    /** The inverse of {@link #parse} for display, e.g. {@code 17520h}, {@code 1m30s}, {@code 250ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long h = d.toHours();
        int m = d.toMinutesPart();
        int sec = d.toSecondsPart();
        int ms = d.toMillisPart();
        if (h > 0) b.append(h).append('h');
        if (m > 0) b.append(m).append('m');
        if (sec > 0) b.append(sec).append('s');
        if (ms > 0) b.append(ms).append("ms");
        return b.isEmpty() ? d.toNanos() + "ns" : b.toString();
    }
}
