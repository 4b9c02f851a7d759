package io.steep.repl.ipc.transport;

import java.io.IOException;

/** Another daemon is serving the endpoint; starting a second one would steal its clients. */
public final class EndpointInUseException extends IOException {
    public EndpointInUseException(String message) {
        super(message);
    }
}
