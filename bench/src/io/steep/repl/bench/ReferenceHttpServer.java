package io.steep.repl.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The machine's floor for {@code /health}: the least an HTTP server on this host can do for a probe — blocking
 * sockets, a few threads waiting in {@code accept}, a fixed answer of the daemon's size, no framework, no state.
 * The bench runs it in its own JVM with the daemon's heap, GC and JIT options and measures it with exactly the load
 * the daemon's {@code /health} got, beside the same idle PostgreSQL and daemons. Its figures say how much of the
 * daemon's latency tail is the host's (scheduling, a virtualised network stack) rather than the daemon's.
 * <p>
 * Prints the bound port on its first line; answers HTTP/1.1 requests with keep-alive until the client closes or
 * asks to ({@code Connection: close}).
 */
public final class ReferenceHttpServer {
    private static final int THREADS = 8;

    private ReferenceHttpServer() {
    }

    public static void main(String[] args) throws IOException {
        // about the size of the daemon's healthy /health document
        String body = "{\"status\":\"healthy\",\"components\":{\"postgresql\":{\"healthy\":true,\"status\":\"connected\","
                + "\"version\":\"18.1\",\"latency_ms\":1},\"grpc\":{\"healthy\":true,\"status\":\"listening\"},"
                + "\"ipc\":{\"healthy\":true,\"status\":\"listening\"},\"audit\":{\"healthy\":true,\"status\":\"ok\"}},"
                + "\"node\":{\"node_id\":\"reference\",\"node_name\":\"reference\",\"is_coordinator\":true},"
                + "\"uptime_seconds\":1,\"version\":\"reference\"}";
        byte[] answer = ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncache-control: no-store\r\n"
                + "content-length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        System.out.println(server.getLocalPort());
        System.out.flush();
        for (int i = 0; i < THREADS; i++) {
            Thread.ofPlatform().name("reference-" + i).start(() -> {
                byte[] buf = new byte[8192];
                while (true) {
                    try (Socket s = server.accept()) {
                        s.setTcpNoDelay(true);
                        serve(s.getInputStream(), s.getOutputStream(), buf, answer);
                    } catch (IOException e) {
                        // a client gone mid-request: next one
                    }
                }
            });
        }
    }

    /** Answers each request (headers up to the blank line; the probes send no body) until the client closes. */
    private static void serve(InputStream in, OutputStream out, byte[] buf, byte[] answer) throws IOException {
        int len = 0;
        while (true) {
            int end = headerEnd(buf, len);
            while (end < 0) {
                if (len == buf.length) {
                    throw new IOException("request headers larger than " + buf.length + " bytes");
                }
                int r = in.read(buf, len, buf.length - len);
                if (r < 0) {
                    return;
                }
                len += r;
                end = headerEnd(buf, len);
            }
            out.write(answer);
            if (new String(buf, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("\r\nconnection: close")) {
                return; // the client asked to close after this answer
            }
            System.arraycopy(buf, end, buf, 0, len - end);
            len -= end;
        }
    }

    private static int headerEnd(byte[] buf, int len) {
        for (int i = 3; i < len; i++) {
            if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
