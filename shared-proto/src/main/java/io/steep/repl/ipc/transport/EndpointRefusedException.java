package io.steep.repl.ipc.transport;

import java.io.IOException;

/**
 * The endpoint path holds something that is not our socket (a regular file, a symbolic link, a directory), or
 * its directory is unsafe. Never removed automatically: it may be someone's data or an attack.
 */
public final class EndpointRefusedException extends IOException {
    public EndpointRefusedException(String message) {
        super(message);
    }

    public EndpointRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
