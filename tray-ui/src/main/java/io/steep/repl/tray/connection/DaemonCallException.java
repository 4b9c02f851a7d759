package io.steep.repl.tray.connection;

/**
 * A call that did not give a result: an error answer from the daemon ({@link #code()} is the wire code, e.g.
 * {@code PERMISSION_DENIED}) or a link problem ({@link #DAEMON_UNREACHABLE}, {@link #TIMEOUT}).
 */
public final class DaemonCallException extends RuntimeException {

    /** Not a wire code: the tray could not reach the daemon at all. */
    public static final String DAEMON_UNREACHABLE = "DAEMON_UNREACHABLE";
    /** Not a wire code: no answer within the call's timeout. */
    public static final String TIMEOUT = "TIMEOUT";

    private final String code;

    public DaemonCallException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Unwraps the CompletionException layers a future adds. */
    public static DaemonCallException of(Throwable t) {
        Throwable c = t;
        while (c != null && !(c instanceof DaemonCallException) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        if (c instanceof DaemonCallException d) {
            return d;
        }
        return new DaemonCallException("INTERNAL_ERROR", String.valueOf(t.getMessage()));
    }
}
