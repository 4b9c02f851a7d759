package io.steep.repl.daemon.ipc;

import io.steep.repl.testing.IpcAddress;
import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.client.IpcClient;
import io.steep.repl.ipc.transport.IpcEndpoint;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.fail;

/** A real IPC server on a temp socket serving the standard methods plus the admin methods of {@code deps}, and a client. */
final class AdminServer implements AutoCloseable {

    static final Duration T = Duration.ofSeconds(30);

    private final IpcServer server;
    private final IpcClient client;

    AdminServer(Path dir, AdminDeps deps) throws Exception {
        EventBroadcaster events = new EventBroadcaster();
        MethodRegistry r = StandardMethods.create(deps.dataSource(), () -> Fixtures.STATUS, () -> Fixtures.HEALTH,
                () -> Fixtures.CONFIG, events);
        AdminMethods.install(r, deps);
        Path sock = dir.resolve("steep-repl").resolve("ipc.sock");
        server = Fixtures.server(sock, r, events, IpcServerOptions.defaults());
        client = IpcClient.connect(IpcEndpoint.of(IpcAddress.of(sock)), T);
    }

    JsonNode call(String method, Object params) throws Exception {
        return client.call(method, params, T);
    }

    /** The error a call must answer with. */
    IpcException error(String method, Object params) {
        try {
            JsonNode result = client.call(method, params, T);
            return fail(method + " " + params + " should have failed but answered " + result);
        } catch (IpcException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(method + " failed in transport", e);
        }
    }

    IpcClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }

}
