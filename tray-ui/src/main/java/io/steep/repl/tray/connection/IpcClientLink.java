package io.steep.repl.tray.connection;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcEvent;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.IpcEndpoint;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A {@link DaemonLink} over shared-proto's {@link IpcClient} (unix socket or Windows named pipe). The client's
 * calls block, so each runs on a virtual thread and the windows get a future; the JavaFX thread never waits.
 */
public final class IpcClientLink implements DaemonLink {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final IpcClient client;
    private final Consumer<DaemonEvent> events;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    private IpcClientLink(IpcClient client, Consumer<DaemonEvent> events) {
        this.client = client;
        this.events = events;
    }

    public static DaemonLinkOpener opener(IpcEndpoint endpoint) {
        return new DaemonLinkOpener() {
            @Override
            public DaemonLink open(Consumer<DaemonEvent> events, Runnable lost) throws IOException {
                IpcClient client = IpcClient.connect(endpoint, CONNECT_TIMEOUT);
                client.closedFuture().whenComplete((why, t) -> lost.run());
                return new IpcClientLink(client, events);
            }

            @Override
            public String describe() {
                return endpoint.address();
            }
        };
    }

    @Override
    public CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.call(method, params, timeout);
            } catch (IpcException e) {
                throw new CompletionException(new DaemonCallException(e.code(), e.getMessage()));
            } catch (InterruptedIOException e) {
                throw new CompletionException(new DaemonCallException(DaemonCallException.TIMEOUT, e.getMessage()));
            } catch (IOException e) {
                throw new CompletionException(new DaemonCallException(DaemonCallException.DAEMON_UNREACHABLE,
                        "the connection to the daemon was lost: " + e.getMessage()));
            }
        }, calls);
    }

    @Override
    public CompletableFuture<JsonNode> subscribe(Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                List<String> subscribed = client.subscribe(List.of(),
                        (IpcEvent e) -> events.accept(new DaemonEvent(e.event(), e.data())), timeout);
                return io.steep.repl.ipc.IpcJson.tree(java.util.Map.of("subscribed", subscribed));
            } catch (IpcException e) {
                throw new CompletionException(new DaemonCallException(e.code(), IpcMethods.EVENTS_SUBSCRIBE + ": " + e.getMessage()));
            } catch (IOException e) {
                throw new CompletionException(new DaemonCallException(DaemonCallException.DAEMON_UNREACHABLE, e.getMessage()));
            }
        }, calls);
    }

    @Override
    public void close() {
        client.close();
        calls.shutdownNow();
    }
}
