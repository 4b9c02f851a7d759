package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.transport.AccessPolicy;
import io.steep.repl.ipc.transport.IpcEndpoint;

/** A daemon stand-in for IpcStaleEndpointTest: serves IPC on args[0], prints READY, waits to be killed. */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws Exception {
        EventBroadcaster events = new EventBroadcaster();
        IpcServer server = new IpcServer(IpcEndpoint.of(args[0], AccessPolicy.OWNER_ONLY),
                Fixtures.standard(Fixtures.unreachableDataSource(), events), events, IpcServerOptions.defaults());
        server.start();
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
