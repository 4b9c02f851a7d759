package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.IpcResponse;
import io.steep.repl.ipc.transport.IpcConnection;
import io.steep.repl.ipc.transport.IpcEndpoint;
import io.steep.repl.ipc.transport.IpcListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemon's IPC server: one accept thread, a reader and a writer thread per connection (platform threads:
 * junixsocket blocks in native code, which would pin virtual threads) and one virtual thread per request, answers by id so pipelined requests complete in any order. See docs/ipc.md for the protocol.
 *
 * <pre>
 * EventBroadcaster events = new EventBroadcaster();
 * MethodRegistry methods = StandardMethods.create(dataSource, status, health, config, events);
 * IpcServer ipc = new IpcServer(IpcEndpoint.of(path, AccessPolicy.allowingGroup(group)), methods, events, IpcServerOptions.defaults());
 * ipc.start();   // EndpointInUseException / EndpointRefusedException: exit non-zero with the message
 * ...
 * ipc.close();
 * </pre>
 */
public final class IpcServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IpcServer.class);

    private final IpcEndpoint endpoint;
    private final MethodRegistry methods;
    private final EventBroadcaster events;
    private final IpcServerOptions options;
    private final Set<ConnectionSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile IpcListener listener;
    private volatile boolean stopping;
    private Thread acceptThread;

    public IpcServer(IpcEndpoint endpoint, MethodRegistry methods, EventBroadcaster events, IpcServerOptions options) {
        this.endpoint = endpoint;
        this.methods = methods;
        this.events = events;
        this.options = options;
    }

    /**
     * Claims the endpoint and starts accepting. Returns once clients can connect.
     *
     * @throws io.steep.repl.ipc.transport.EndpointInUseException   another daemon serves this path
     * @throws io.steep.repl.ipc.transport.EndpointRefusedException the path holds something that is not our socket
     */
    public synchronized void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("IPC server already started on " + listener.address());
        }
        stopping = false;
        listener = endpoint.listen();
        // a platform thread: accept is a blocking native call, and Windows peer checks impersonate per OS thread
        acceptThread = Thread.ofPlatform().daemon().name("ipc-accept").start(this::acceptLoop);
    }

    public boolean isListening() {
        return listener != null && !stopping;
    }

    public String address() {
        return endpoint.address();
    }

    /** Connections being served right now. */
    public int connectionCount() {
        return sessions.size();
    }

    MethodRegistry methods() {
        return methods;
    }

    IpcServerOptions options() {
        return options;
    }

    EventBroadcaster events() {
        return events;
    }

    private void acceptLoop() {
        IpcListener l = listener;
        while (!stopping) {
            IpcConnection c;
            try {
                c = l.accept();
            } catch (IOException e) {
                if (!stopping) {
                    LOG.error("IPC accept failed on {}: {}; no new IPC clients are accepted until restart", l.address(), e.getMessage());
                }
                return;
            }
            if (sessions.size() >= options.maxConnections()) {
                Thread.ofVirtual().name("ipc-refuse").start(() -> refuseBusy(c));
                continue;
            }
            ConnectionSession s = new ConnectionSession(this, c);
            sessions.add(s);
            Thread.ofPlatform().daemon().name("ipc-conn-" + c.peer().pid()).start(() -> {
                try {
                    s.run();
                } finally {
                    sessions.remove(s);
                }
            });
        }
    }

    private void refuseBusy(IpcConnection c) {
        LOG.warn("IPC connection from {} refused: {} connections already open (the limit)", c.peer(), options.maxConnections());
        try (c) {
            OutputStream out = c.output();
            out.write(IpcJson.line(IpcResponse.failure(null, IpcErrorCode.UNAVAILABLE,
                    "the daemon already serves " + options.maxConnections() + " IPC connections; close idle clients or retry later")));
            out.flush();
        } catch (IOException ignored) {
            // the client left first
        }
    }

    /** Stops accepting, closes every connection and removes the socket. Idempotent. */
    @Override
    public synchronized void close() {
        if (listener == null) {
            return;
        }
        stopping = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.warn("closing IPC endpoint {}: {}", endpoint.address(), e.getMessage());
        }
        for (ConnectionSession s : sessions) {
            s.close();
        }
        if (acceptThread != null) {
            try {
                acceptThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener = null;
        LOG.info("IPC server on {} stopped", endpoint.address());
    }
}
