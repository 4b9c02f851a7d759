package io.steep.repl.daemon.cli;

/** The process exit codes, documented in daemon/README.md. */
public final class ExitCodes {

    /** Success; for {@code status}: the daemon is running. */
    public static final int OK = 0;
    /** Error: bad config, a component failed to start, another instance holds the lock, unexpected failure. */
    public static final int ERROR = 1;
    /** {@code status}: the daemon is not running, or runs but its health endpoint does not answer. */
    public static final int NOT_RUNNING = 2;
    /** Wrong command line (unknown option, missing argument): sysexits' EX_USAGE. */
    public static final int USAGE = 64;

    private ExitCodes() {
    }
}
