package io.steep.repl.daemon.lifecycle;

/** The daemon could not start. The message is the one line printed for the operator; it says what to do. */
public final class StartupException extends Exception {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
