package io.steep.repl.ipc.transport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One client connection. Reading and writing may happen on different threads at the same time (the server
 * answers pipelined requests while it reads the next). A read that exceeds {@link #setReadTimeout} throws
 * {@link java.net.SocketTimeoutException} and leaves the connection usable.
 */
public interface IpcConnection extends Closeable {

    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    /** Who is on the other end (for the server side; a client sees {@link PeerIdentity#UNKNOWN}). */
    PeerIdentity peer();

    /** Zero means no timeout. */
    void setReadTimeout(Duration timeout) throws IOException;

    @Override
    void close() throws IOException;
}
