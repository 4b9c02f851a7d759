package io.steep.repl.daemon.service;

/**
 * A service operation that cannot go ahead. The message is written for the person at the terminal: it says what is
 * wrong and what to do, and is printed as-is by the CLI and returned as-is over IPC.
 */
public class ServiceException extends RuntimeException {

    /** Machine-readable reason, for IPC error codes and for tests. */
    public enum Reason {
        NOT_PRIVILEGED, MANAGER_NOT_RUNNING, LAUNCHER_NOT_FOUND, ALREADY_INSTALLED, NOT_INSTALLED,
        UNSUPPORTED, COMMAND_FAILED, IO
    }

    private final Reason reason;

    public ServiceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ServiceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
