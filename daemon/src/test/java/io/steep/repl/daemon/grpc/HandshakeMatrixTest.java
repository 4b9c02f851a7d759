package io.steep.repl.daemon.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.steep.repl.daemon.certs.CertsException;
import io.steep.repl.daemon.certs.TlsMaterial;
import io.steep.repl.daemon.cluster.ClusterSettings;
import io.steep.repl.daemon.cluster.InvalidFieldException;
import io.steep.repl.daemon.cluster.LocalNode;
import io.steep.repl.proto.v1.CoordinatorGrpc;
import io.steep.repl.proto.v1.GetNodesRequest;
import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import io.steep.repl.proto.v1.HeartbeatRequest;
import io.steep.repl.proto.v1.RegisterNodeRequest;
import io.steep.repl.proto.v1.RegisterNodeResponse;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake matrix of issue 6 against a real daemon (real PG 18 database, real mTLS 1.3 gRPC server): only a
 * valid cluster certificate gets through, and only for the node it names.
 */
@ExtendWith(RealPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandshakeMatrixTest {

    @TempDir
    static Path tmp;

    private PgServer pg;
    private TestPki pki;
    private TestNode a;
    private TlsMaterial clusterTrust;

    @BeforeAll
    void startNodeA(PgServer pg) throws Exception {
        this.pg = pg;
        pki = new TestPki(tmp.resolve("pki"));
        a = TestNode.create(pg, pki, "node-a", 50, List.of()).start();
        clusterTrust = pki.node("node-b").material();
        Eventually.await(Duration.ofSeconds(20), "node-a serving", () -> a.node().status().serving());
    }

    @AfterAll
    void stop() {
        a.close();
    }

    private ManagedChannel channel(SslContext ctx) {
        return GrpcPeerTransport.channel(a.address(), ctx);
    }

    private SslContext client(KeyManagerFactory keys, List<String> protocols) {
        return TlsContexts.client(keys, clusterTrust.trustManagerFactory(), protocols);
    }

    private static <T> T withChannel(ManagedChannel ch, java.util.function.Function<CoordinatorGrpc.CoordinatorBlockingStub, T> f) {
        try {
            return f.apply(CoordinatorGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }

    /** The call fails and the server logs (counts) one more failed handshake. */
    private void assertRefusedAtHandshake(SslContext ctx) throws Exception {
        long before = a.node().status().handshakeFailures();
        assertThatThrownBy(() -> withChannel(channel(ctx), s -> s.healthCheck(HealthCheckRequest.getDefaultInstance())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        Eventually.await(Duration.ofSeconds(10), "server saw the failed handshake",
                () -> a.node().status().handshakeFailures() > before);
    }

    @Test
    void validCertificateIsServed() {
        HealthCheckResponse r = withChannel(channel(TlsContexts.client(clusterTrust)),
                s -> s.healthCheck(HealthCheckRequest.getDefaultInstance()));
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(r.getNodeId()).isEqualTo("node-a");
        assertThat(r.getComponentsMap().get("postgresql").getHealthy()).isTrue();
        assertThat(r.getComponentsMap().get("grpc").getMessage()).contains("TLS 1.3");
    }

    @Test
    void standardHealthServiceReportsTheCoordinatorService() {
        ManagedChannel ch = channel(TlsContexts.client(clusterTrust));
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
            for (String service : List.of("", "steep.repl.v1.Coordinator")) {
                assertThat(health.check(io.grpc.health.v1.HealthCheckRequest.newBuilder().setService(service).build())
                        .getStatus()).isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
            }
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void noClientCertificateIsRefused() throws Exception {
        assertRefusedAtHandshake(client(null, TlsMaterial.PROTOCOLS));
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        TestPki other = new TestPki(tmp.resolve("other-pki"));
        assertRefusedAtHandshake(client(other.node("node-b").keyManagers(), TlsMaterial.PROTOCOLS));
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        assertRefusedAtHandshake(client(pki.expired("node-b").keyManagers(), TlsMaterial.PROTOCOLS));
    }

    @Test
    void tls12ClientIsRefused() throws Exception {
        assertRefusedAtHandshake(client(pki.node("node-b").keyManagers(), List.of("TLSv1.2")));
    }

    @Test
    void plaintextClientIsRefused() throws Exception {
        long before = a.node().status().handshakeFailures();
        assertThatThrownBy(() -> withChannel(channel(null), s -> s.healthCheck(HealthCheckRequest.getDefaultInstance())))
                .isInstanceOf(StatusRuntimeException.class);
        Eventually.await(Duration.ofSeconds(10), "server saw the plaintext attempt",
                () -> a.node().status().handshakeFailures() > before);
    }

    @Test
    void nodeBMayRegisterAsItself() throws Exception {
        int port = TestNode.freePort();
        RegisterNodeResponse r = withChannel(channel(TlsContexts.client(pki.node("node-b").material())),
                s -> s.registerNode(RegisterNodeRequest.newBuilder().setNodeId("node-b").setNodeName("B")
                        .setHost("127.0.0.1").setPort(port).setPriority(10).build()));
        assertThat(r.getSuccess()).isTrue();
        assertThat(r.getNodesList()).extracting(n -> n.getNodeId()).contains("node-a", "node-b");
        assertThat(a.statusOf("node-b")).isPresent();
    }

    @Test
    void certificateForNodeBClaimingNodeCIsDeniedAuditedAndLogged() throws Exception {
        TlsMaterial b = pki.node("node-b").material();
        long refusedBefore = a.node().status().refusedCalls();
        assertThatThrownBy(() -> withChannel(channel(TlsContexts.client(b)),
                s -> s.registerNode(RegisterNodeRequest.newBuilder().setNodeId("node-c").setNodeName("C")
                        .setHost("127.0.0.1").setPort(7000).setPriority(90).build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("node-b").contains("node-c");
                });
        assertThatThrownBy(() -> withChannel(channel(TlsContexts.client(b)),
                s -> s.heartbeat(HeartbeatRequest.newBuilder().setNodeId("node-c").build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(a.statusOf("node-c")).isEmpty();
        assertThat(a.node().status().refusedCalls()).isGreaterThanOrEqualTo(refusedBefore + 2);
        try (Connection c = pg.connect(a.database);
             PreparedStatement ps = c.prepareStatement("""
                     SELECT action, actor, success, error_message, client_ip::text FROM steep_repl.audit_log
                      WHERE target_id = 'node-c' ORDER BY id""");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("action")).isEqualTo("node.registered");
            assertThat(rs.getBoolean("success")).isFalse();
            assertThat(rs.getString("actor")).isEqualTo("node-b@127.0.0.1");
            assertThat(rs.getString("error_message")).contains("node-b").contains("node-c");
            assertThat(rs.getString("client_ip")).startsWith("127.0.0.1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("action")).isEqualTo("node.heartbeat");
            assertThat(rs.getBoolean("success")).isFalse();
        }
    }

    @Test
    void invalidInputIsRefusedNamingTheField() {
        TlsMaterial b = pki.node("node-b").material();
        record Case(RegisterNodeRequest request, String field) { }
        RegisterNodeRequest ok = RegisterNodeRequest.newBuilder().setNodeId("node-b").setNodeName("B")
                .setHost("127.0.0.1").setPort(7000).setPriority(10).build();
        for (Case c : List.of(new Case(ok.toBuilder().setPriority(101).build(), "priority"),
                new Case(ok.toBuilder().setPort(70000).build(), "port"),
                new Case(ok.toBuilder().setHost("").build(), "host"),
                new Case(ok.toBuilder().setHost("bad host").build(), "host"),
                new Case(ok.toBuilder().setNodeId("bad id!").build(), "node_id"))) {
            assertThatThrownBy(() -> withChannel(channel(TlsContexts.client(b)), s -> s.registerNode(c.request())))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith(c.field() + ":");
                    });
        }
        assertThatThrownBy(() -> withChannel(channel(TlsContexts.client(b)),
                s -> s.getNodes(GetNodesRequest.newBuilder().addStatusFilter("sleepy").build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).startsWith("status_filter:"));
    }

    @Test
    void missingOrMismatchedTlsFilesStopTheStartNamingTheFile() throws Exception {
        TestPki.Bundle bundle = pki.node("node-x");
        LocalNode self = new LocalNode("node-x", null, "127.0.0.1", 7001, 50);
        Path missingKey = tmp.resolve("nowhere/node-key.pem");
        assertThatThrownBy(() -> CoordinatorNode.create(self,
                new GrpcSettings("127.0.0.1", 0, bundle.cert(), missingKey, bundle.ca(), false),
                ClusterSettings.defaults(List.of()), a.dataSource, "test"))
                .isInstanceOf(CertsException.class).hasMessageContaining(missingKey.toString());
        Path garbage = Files.writeString(tmp.resolve("garbage-ca.pem"), "not a certificate");
        assertThatThrownBy(() -> CoordinatorNode.create(self,
                new GrpcSettings("127.0.0.1", 0, bundle.cert(), bundle.key(), garbage, false),
                ClusterSettings.defaults(List.of()), a.dataSource, "test"))
                .isInstanceOf(CertsException.class).hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> new GrpcSettings("127.0.0.1", 0, null, bundle.key(), bundle.ca(), false))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("grpc.tls.cert_file");
        LocalNode wrongId = new LocalNode("node-y", null, "127.0.0.1", 7001, 50);
        assertThatThrownBy(() -> CoordinatorNode.create(wrongId,
                new GrpcSettings("127.0.0.1", 0, bundle.cert(), bundle.key(), bundle.ca(), false),
                ClusterSettings.defaults(List.of()), a.dataSource, "test"))
                .hasMessageContaining("node-x").hasMessageContaining("node-y");
    }

    @Test
    void insecureModeIsPlaintextAndSaysSo() throws Exception {
        int port = TestNode.freePort();
        String db = pg.createDatabase("grpc_insecure");
        try (Connection c = pg.connect(db)) {
            c.createStatement().execute("CREATE EXTENSION steep_repl");
        }
        try (var ds = TestNode.dataSource(pg, db); CoordinatorNode n = CoordinatorNode.create(new LocalNode("node-i", null, "127.0.0.1", port, 50),
                new GrpcSettings("127.0.0.1", port, null, null, null, true), ClusterSettings.defaults(List.of()),
                ds, "test")) {
            n.start();
            assertThat(n.status().tlsEnabled()).isFalse();
            HealthCheckResponse r = withChannel(GrpcPeerTransport.channel(new io.steep.repl.daemon.cluster.PeerAddress(
                    "127.0.0.1", port), null), s -> s.healthCheck(HealthCheckRequest.getDefaultInstance()));
            assertThat(r.getComponentsMap().get("grpc").getMessage()).contains("plaintext");
        }
    }
}
