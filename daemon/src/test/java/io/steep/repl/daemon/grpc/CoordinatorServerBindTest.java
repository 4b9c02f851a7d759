package io.steep.repl.daemon.grpc;

import io.steep.repl.proto.v1.CoordinatorGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gRPC's port taken, or a bind address not of this machine: the start error says which, and what to change. */
class CoordinatorServerBindTest {

    private static CoordinatorServer server(String host, int port) {
        return new CoordinatorServer(new GrpcSettings(host, port, null, null, null, true),
                null, new CoordinatorGrpc.CoordinatorImplBase() { }, new ConnectionLog(PeerLogLimiter.standard()));
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "the port's owner is found through /proc")
    void aTakenPortIsNamedWithItsOwnerAndTheSettingToChange() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            CoordinatorServer s = server("127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(s::start).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("gRPC port 127.0.0.1:" + taken.getLocalPort() + " is already in use by pid "
                            + ProcessHandle.current().pid() + " (java) (")
                    .hasMessageContaining("Address already in use")
                    .hasMessageEndingWith("; set repl.grpc.port to a free port or stop that process");
        }
    }

    @Test
    void anAddressNotOfThisMachineNamesTheBindSettingEvenIfThePortIsTakenElsewhere() throws IOException {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine. Someone listening on the same port
        // on loopback must not turn the message into "port in use".
        try (ServerSocket loopback = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = loopback.getLocalPort();
            CoordinatorServer s = server("192.0.2.1", port);
            assertThatThrownBy(s::start).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen for gRPC on 192.0.2.1:" + port + " (")
                    .hasMessageEndingWith("); set repl.grpc.bind to an address of this machine (default 0.0.0.0)")
                    .hasMessageNotContaining("already in use");
        }
    }
}
