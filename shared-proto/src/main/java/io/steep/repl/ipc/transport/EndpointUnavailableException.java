package io.steep.repl.ipc.transport;

import java.io.IOException;

/** A client could not reach the daemon; the message says why and what to do. */
public final class EndpointUnavailableException extends IOException {
    public EndpointUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
