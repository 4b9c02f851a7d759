package io.steep.repl.daemon.service;

/**
 * Runs the service manager's programs (systemctl, launchctl, prunsrv, sc.exe...). The one seam between the
 * service code and the OS service manager: tests substitute a recording runner, file writes stay real.
 */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Runs the command to completion and returns its exit code and combined output. A program that cannot be
     * started or does not finish in time is a {@link ServiceException}; a non-zero exit code is not (callers
     * decide what it means).
     */
    Result run(Command command);

    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
