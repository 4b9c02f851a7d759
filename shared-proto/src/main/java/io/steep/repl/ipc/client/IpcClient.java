package io.steep.repl.ipc.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.IpcRequest;
import io.steep.repl.ipc.IpcResponse;
import io.steep.repl.ipc.LineReader;
import io.steep.repl.ipc.message.EventsSubscribeParams;
import io.steep.repl.ipc.message.EventsSubscribeResult;
import io.steep.repl.ipc.transport.IpcConnection;
import io.steep.repl.ipc.transport.IpcEndpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A connection to the daemon's IPC endpoint. Thread-safe: any number of threads may {@link #call} at once; the
 * requests are pipelined on the one connection and every answer is matched to its caller by id. Events pushed
 * after {@link #subscribe} go to the registered listeners on the reader thread (keep listeners quick).
 *
 * <p>One connection, no reconnect: for a long-lived event feed that survives daemon restarts use
 * {@link EventSubscription}.
 */
public final class IpcClient implements AutoCloseable {

    private final IpcConnection connection;
    private final OutputStream out;
    private final Map<String, CompletableFuture<IpcResponse>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<IpcEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final String address;

    private IpcClient(IpcConnection connection, String address) throws IOException {
        this.connection = connection;
        this.out = connection.output();
        this.address = address;
        // a platform thread: the transport blocks in native code, which would pin a virtual thread
        Thread.ofPlatform().daemon().name("ipc-client-reader").start(this::readLoop);
    }

    /** Connects to the daemon; the exception message says why not and what to do. */
    public static IpcClient connect(IpcEndpoint endpoint, Duration connectTimeout) throws IOException {
        return new IpcClient(endpoint.connect(connectTimeout), endpoint.address());
    }

    /**
     * Calls a method and waits for its result.
     *
     * @param params a record/map/JsonNode serialised as the params object, or null for {@code {}}
     * @throws IpcException          the daemon answered with an error (code + message)
     * @throws InterruptedIOException no answer within the timeout (the request may still run on the daemon)
     * @throws IOException           the connection failed or closed
     */
    public JsonNode call(String method, Object params, Duration timeout) throws IpcException, IOException {
        String id = UUID.randomUUID().toString();
        CompletableFuture<IpcResponse> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            send(new IpcRequest(id, method, params == null ? null : IpcJson.tree(params)));
            IpcResponse r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r.error() != null) {
                throw new IpcException(r.error().code(), r.error().message(), null);
            }
            return r.result() == null ? NullNode.getInstance() : r.result();
        } catch (TimeoutException e) {
            throw new InterruptedIOException("no answer to " + method + " from the daemon at " + address + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + method);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    /** {@link #call} with the result converted to a record such as {@code StatusResult}. */
    public <T> T call(String method, Object params, Class<T> resultType, Duration timeout) throws IpcException, IOException {
        JsonNode node = call(method, params, timeout);
        try {
            return IpcJson.mapper().treeToValue(node, resultType);
        } catch (IOException e) {
            throw new IOException("the daemon's answer to " + method + " is not a " + resultType.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Subscribes this connection to pushed events ({@code events} empty = all) and routes them to {@code listener}.
     * Returns the events the daemon will push.
     */
    public List<String> subscribe(List<String> events, Consumer<IpcEvent> listener, Duration timeout) throws IpcException, IOException {
        eventListeners.add(listener);
        try {
            return call(IpcMethods.EVENTS_SUBSCRIBE, new EventsSubscribeParams(events), EventsSubscribeResult.class, timeout).subscribed();
        } catch (IpcException | IOException | RuntimeException e) {
            eventListeners.remove(listener);
            throw e;
        }
    }

    /** Completes with a reason when the connection ends (daemon stopped, network error, {@link #close}). */
    public CompletableFuture<String> closedFuture() {
        return closed;
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    private void send(Object message) throws IOException {
        byte[] line = IpcJson.line(message);
        synchronized (out) {
            out.write(line);
            out.flush();
        }
    }

    private void readLoop() {
        String reason = "the daemon closed the connection";
        try {
            LineReader reader = new LineReader(connection.input());
            while (true) {
                LineReader.Line line = reader.next();
                if (line instanceof LineReader.Complete(byte[] bytes)) {
                    if (bytes.length == 0) {
                        continue;
                    }
                    switch (IpcJson.decodeIncoming(bytes)) {
                        case IpcJson.Answer(IpcResponse r) -> {
                            CompletableFuture<IpcResponse> f = r.id() == null ? null : pending.get(r.id());
                            if (f != null) {
                                f.complete(r);
                            } else if (r.id() == null && r.error() != null) {
                                // a connection-level error (too many connections, oversized line): fail everyone waiting
                                reason = r.error().code() + ": " + r.error().message();
                                IOException e = new IOException("the daemon refused the connection: " + reason);
                                pending.values().forEach(p -> p.completeExceptionally(e));
                            }
                        }
                        case IpcJson.Pushed(IpcEvent event) -> {
                            for (Consumer<IpcEvent> l : eventListeners) {
                                try {
                                    l.accept(event);
                                } catch (RuntimeException ignored) {
                                    // one faulty listener must not stop the others or the reader
                                }
                            }
                        }
                        case IpcJson.Unreadable u -> {
                            // a daemon never sends this; ignore rather than kill the connection
                        }
                    }
                } else if (line instanceof LineReader.TooLong) {
                    reason = "the daemon sent a line longer than " + IpcJson.MAX_LINE_BYTES + " bytes";
                    break;
                } else {
                    break;
                }
            }
        } catch (IOException e) {
            if (isOpen()) {
                reason = "connection to the daemon lost: " + e.getMessage();
            }
        } finally {
            IOException e = new IOException(reason);
            pending.values().forEach(f -> f.completeExceptionally(e));
            closed.complete(reason);
            try {
                connection.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        closed.complete("closed by the client");
        try {
            connection.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
