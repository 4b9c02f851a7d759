package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.IpcRequest;
import io.steep.repl.ipc.IpcResponse;
import io.steep.repl.ipc.LineReader;
import io.steep.repl.ipc.transport.IpcConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection: reads lines (on a platform thread, as junixsocket blocks in native code), dispatches
 * each request on its own virtual thread, and funnels answers
 * and pushed events through one bounded queue to a single writer — so lines never interleave and a client that
 * stops reading fills only its own queue (then it is disconnected) instead of blocking anybody else.
 */
final class ConnectionSession {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSession.class);
    private static final byte[] END = new byte[0];

    private final IpcServer server;
    private final IpcConnection connection;
    private final BlockingQueue<byte[]> outbound;
    private final Semaphore inFlight;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean subscribed;

    ConnectionSession(IpcServer server, IpcConnection connection) {
        this.server = server;
        this.connection = connection;
        this.outbound = new ArrayBlockingQueue<>(server.options().outboundQueueLines() + 1);
        this.inFlight = new Semaphore(server.options().maxInFlight());
    }

    String describePeer() {
        return connection.peer().description();
    }

    boolean isClosed() {
        return closed.get();
    }

    void markSubscribed() {
        subscribed = true;
    }

    void run() {
        // socket reads/writes block in native code (junixsocket), which would pin virtual threads: platform threads here
        Thread writer = Thread.ofPlatform().daemon().name("ipc-writer").start(this::writeLoop);
        try {
            connection.setReadTimeout(server.options().idleTimeout());
            LineReader reader = new LineReader(connection.input());
            while (!closed.get()) {
                LineReader.Line line;
                try {
                    line = reader.next();
                } catch (SocketTimeoutException idle) {
                    if (subscribed || inFlight.availablePermits() < server.options().maxInFlight()) {
                        continue; // waiting for events or answers is not idleness
                    }
                    LOG.debug("IPC connection from {} idle for {}; closing", describePeer(), server.options().idleTimeout());
                    break;
                }
                switch (line) {
                    case LineReader.Complete(byte[] bytes) -> {
                        if (isBlank(bytes)) {
                            continue;
                        }
                        switch (IpcJson.decodeRequest(bytes)) {
                            case IpcJson.Invalid(String id, String message) -> queue(IpcResponse.failure(id, IpcErrorCode.INVALID_REQUEST, message));
                            case IpcJson.Valid(IpcRequest request) -> dispatch(request);
                        }
                    }
                    case LineReader.TooLong(int limit) -> {
                        queue(IpcResponse.failure(null, IpcErrorCode.INVALID_REQUEST, "request line longer than " + limit
                                + " bytes; the connection is closed. Send one request per line, each under 1 MiB"));
                        return;
                    }
                    case LineReader.Unterminated u -> {
                        queue(IpcResponse.failure(null, IpcErrorCode.INVALID_REQUEST,
                                "the last request was not terminated by a newline before the input ended; it was not run"));
                        return;
                    }
                    case LineReader.End e -> {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.debug("IPC connection from {} ended: {}", describePeer(), e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finish(writer);
        }
    }

    private void dispatch(IpcRequest request) throws InterruptedException {
        IpcMethod method = server.methods().find(request.method()).orElse(null);
        if (method != null && method.answersFromMemory()) {
            queue(answer(request, method, new CallContext(request.id(), connection.peer(), this)));
            return;
        }
        inFlight.acquire();
        Thread.ofVirtual().name("ipc-call-" + request.method()).start(() -> {
            try {
                CallContext ctx = new CallContext(request.id(), connection.peer(), this);
                queue(answer(request, method, ctx));
                if (ctx.afterAnswer() != null) {
                    ctx.afterAnswer().run();
                }
            } finally {
                inFlight.release();
            }
        });
    }

    /** {@code method}: the registry's method for the request, null when there is none. */
    private IpcResponse answer(IpcRequest request, IpcMethod method, CallContext ctx) {
        if (method == null) {
            return IpcResponse.failure(request.id(), IpcErrorCode.METHOD_NOT_FOUND, "unknown method \"" + truncate(request.method())
                    + "\"; methods: " + String.join(", ", server.methods().names()));
        }
        if (method.access() == IpcMethod.Access.PRIVILEGED && !ctx.peer().privileged()) {
            return IpcResponse.failure(request.id(), IpcErrorCode.PERMISSION_DENIED, method.name()
                    + " changes the system and may be run only by root or the daemon's own user (you are " + ctx.peer().description() + ")");
        }
        try {
            Object result = method.handle(request.params(), ctx);
            JsonNode tree = result == null ? JsonNodeFactory.instance.objectNode() : IpcJson.tree(result);
            return IpcResponse.success(request.id(), tree);
        } catch (IpcException e) {
            return new IpcResponse(request.id(), null, e.toError());
        } catch (RuntimeException | Error e) {
            LOG.error("IPC method {} failed (request {} from {})", method.name(), request.id(), describePeer(), e);
            return IpcResponse.failure(request.id(), IpcErrorCode.INTERNAL_ERROR, "internal error in " + method.name()
                    + "; the daemon's log has the details (request id " + request.id() + ")");
        }
    }

    private void queue(IpcResponse response) {
        offer(IpcJson.line(response), "answer");
    }

    /** Queues a pushed event; false when the subscriber is too slow and has been disconnected. */
    boolean push(byte[] eventLine) {
        return offer(eventLine, "event");
    }

    private boolean offer(byte[] line, String what) {
        if (closed.get()) {
            return false;
        }
        if (!outbound.offer(line)) {
            LOG.warn("IPC client {} does not read its answers ({} lines queued); disconnecting it (dropped {})",
                    describePeer(), server.options().outboundQueueLines(), what);
            close();
            return false;
        }
        return true;
    }

    private void writeLoop() {
        List<byte[]> batch = new ArrayList<>();
        try {
            OutputStream out = connection.output();
            while (true) {
                byte[] first = outbound.take();
                if (first == END) {
                    break;
                }
                batch.add(first);
                outbound.drainTo(batch);
                boolean end = false;
                for (byte[] line : batch) {
                    if (line == END) {
                        end = true;
                        break;
                    }
                    out.write(line);
                }
                batch.clear();
                out.flush();
                if (end) {
                    break;
                }
            }
        } catch (IOException | InterruptedException e) {
            // client gone or closing; the reader side notices too
        } finally {
            close();
        }
    }

    /** After the input ends: let running requests answer, flush, then close. */
    private void finish(Thread writer) {
        server.events().remove(this);
        try {
            if (!closed.get()) {
                // in-flight handlers still queue their answers (a client may half-close after pipelining)
                inFlight.tryAcquire(server.options().maxInFlight(), 30, TimeUnit.SECONDS);
            }
            outbound.offer(END);
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            server.events().remove(this);
            outbound.clear();
            outbound.offer(END);
            try {
                connection.close();
            } catch (IOException ignored) {
                // already closed by the peer
            }
        }
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
