package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.LineReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A deliberately dumb client on the JDK's own unix sockets: writes raw bytes, reads raw lines. */
final class RawClient implements AutoCloseable {

    private final SocketChannel channel;
    private final OutputStream out;
    private final LineReader reader;

    private RawClient(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        InputStream in = Channels.newInputStream(channel);
        this.reader = new LineReader(in, 64 * 1024 * 1024);
    }

    static RawClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(ch);
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next line as JSON, or null at end of stream. */
    JsonNode read() throws IOException {
        LineReader.Line l = reader.next();
        if (l instanceof LineReader.Complete(byte[] b)) {
            return IpcJson.mapper().readTree(b);
        }
        return null;
    }

    /**
     * Whether the server closed the stream (no further line). A reset counts as closed: when the server closes
     * while this client is still writing (an oversized line), the kernel answers the unread bytes with RST.
     */
    boolean atEnd() throws IOException {
        try {
            return reader.next() instanceof LineReader.End;
        } catch (java.net.SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return true;
            }
            throw e;
        }
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
