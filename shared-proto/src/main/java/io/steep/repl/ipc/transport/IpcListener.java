package io.steep.repl.ipc.transport;

import java.io.Closeable;
import java.io.IOException;

/** A claimed, listening endpoint. Closing it stops listening and removes the socket file it created. */
public interface IpcListener extends Closeable {

    /**
     * Waits for the next admitted client. Peers the {@link AccessPolicy} does not admit are closed without a
     * byte read or written, logged, and never returned.
     */
    IpcConnection accept() throws IOException;

    String address();

    @Override
    void close() throws IOException;
}
