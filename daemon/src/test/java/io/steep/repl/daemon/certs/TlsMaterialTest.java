package io.steep.repl.daemon.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS 1.3 handshakes over loopback sockets, with material issued by the certs package. */
class TlsMaterialTest {

    @TempDir
    Path tmp;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private Path caDir;

    /** What the server side saw. */
    record ServerSaw(String protocol, String peerNodeId) {
    }

    @BeforeEach
    void cluster() {
        caDir = tmp.resolve("ca");
        ClusterCa.initialize(caDir, "cluster", 3650, false, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private TlsMaterial node(Path ca, String id) {
        Path dir = tmp.resolve(ca.getFileName() + "-" + id);
        NodeCertificateIssuer.issue(ca, id, List.of("localhost", "127.0.0.1"), 30, dir, false, Clock.systemUTC());
        return TlsMaterial.load(dir.resolve("node-cert.pem"), dir.resolve("node-key.pem"), dir.resolve("ca-cert.pem"));
    }

    @Test
    void twoNodesCompleteAMutualTls13HandshakeAndSeeEachOthersIdentity() throws Exception {
        TlsMaterial a = node(caDir, "node-a");
        TlsMaterial b = node(caDir, "node-b");
        assertThat(a.nodeId()).isEqualTo("node-a");

        try (SSLServerSocket server = serverSocket(a)) {
            Future<ServerSaw> saw = serveOnce(server);
            try (SSLSocket client = b.configure((SSLSocket) b.sslContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort()))) {
                client.setSoTimeout(10_000);
                client.startHandshake();
                assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
                X509Certificate serverCert = (X509Certificate) client.getSession().getPeerCertificates()[0];
                assertThat(NodeIdentity.of(serverCert)).contains("node-a");
                OutputStream out = client.getOutputStream();
                out.write(42);
                out.flush();
                assertThat(client.getInputStream().read()).isEqualTo(43);
            }
            assertThat(saw.get(20, TimeUnit.SECONDS)).isEqualTo(new ServerSaw("TLSv1.3", "node-b"));
        }
    }

    @Test
    void aClientFromAForeignCaIsRefused() throws Exception {
        Path foreignCa = tmp.resolve("foreign");
        ClusterCa.initialize(foreignCa, "cluster", 3650, false, Clock.systemUTC()); // same name, other key
        TlsMaterial server = node(caDir, "node-a");
        TlsMaterial intruder = node(foreignCa, "node-b");
        // The intruder trusts our CA, so that only the server can refuse: when the client refused the server's
        // certificate too, the server's side of the race was a broken pipe instead of its own verdict.
        SSLContext trustsUs = SSLContext.getInstance("TLS");
        trustsUs.init(intruder.keyManagers(), server.trustManagers(), null);
        assertHandshakeFails(server, trustsUs, intruder);
    }

    @Test
    void aServerFromAForeignCaIsRefusedByTheClient() throws Exception {
        Path foreignCa = tmp.resolve("foreign");
        ClusterCa.initialize(foreignCa, "cluster", 3650, false, Clock.systemUTC());
        TlsMaterial impostor = node(foreignCa, "node-a");
        TlsMaterial client = node(caDir, "node-b");
        try (SSLServerSocket server = serverSocket(impostor)) {
            serveOnce(server);
            try (SSLSocket socket = connect(client, server)) {
                assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void anExpiredClientCertificateIsRefused() throws Exception {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofDays(-10));
        Path oldCa = tmp.resolve("old-ca");
        ClusterCa.initialize(oldCa, "cluster", 3650, false, past);
        TlsMaterial server = node(oldCa, "node-a");
        Path dir = tmp.resolve("expired");
        NodeCertificateIssuer.issue(oldCa, "node-b", List.of(), 2, dir, false, past); // valid 10..8 days ago
        Path cert = dir.resolve("node-cert.pem");
        assertThatThrownBy(() -> TlsMaterial.load(cert, dir.resolve("node-key.pem"), dir.resolve("ca-cert.pem")))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining(cert + ": the certificate expired on");
        // loaded as of its issuing time, it still cannot get past a peer that judges it today
        TlsMaterial stale = TlsMaterial.load(cert, dir.resolve("node-key.pem"), dir.resolve("ca-cert.pem"), past);
        assertHandshakeFails(server, stale);
    }

    @Test
    void aTls12OnlyClientIsRefused() throws Exception {
        TlsMaterial server = node(caDir, "node-a");
        TlsMaterial client = node(caDir, "node-b");
        try (SSLServerSocket s = serverSocket(server)) {
            serveOnce(s);
            try (SSLSocket socket = connect(client, s)) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
            }
        }
        assertThat(server.serverParameters().getProtocols()).containsExactly("TLSv1.3");
        assertThat(server.serverParameters().getNeedClientAuth()).isTrue();
        assertThat(client.clientParameters().getProtocols()).containsExactly("TLSv1.3");
    }

    @Test
    void errorsNameTheFileToFix() throws Exception {
        Path dir = tmp.resolve("n");
        NodeCertificateIssuer.issue(caDir, "n", List.of(), 30, dir, false, Clock.systemUTC());
        Path cert = dir.resolve("node-cert.pem");
        Path key = dir.resolve("node-key.pem");
        Path ca = dir.resolve("ca-cert.pem");

        assertThatThrownBy(() -> TlsMaterial.load(dir.resolve("missing.pem"), key, ca))
                .hasMessage(dir.resolve("missing.pem") + ": no such file");
        Path text = Files.writeString(tmp.resolve("garbage.pem"), "garbage");
        assertThatThrownBy(() -> TlsMaterial.load(cert, text, ca)).hasMessageStartingWith(text + ": not a PEM file");
        assertThatThrownBy(() -> TlsMaterial.load(cert, key, text)).hasMessageStartingWith(text + ": not a PEM file");

        Path other = tmp.resolve("other");
        NodeCertificateIssuer.issue(caDir, "other", List.of(), 30, other, false, Clock.systemUTC());
        assertThatThrownBy(() -> TlsMaterial.load(cert, other.resolve("node-key.pem"), ca))
                .hasMessageStartingWith(other.resolve("node-key.pem") + ": does not match the certificate in " + cert);

        Path foreignCa = tmp.resolve("foreign");
        ClusterCa.initialize(foreignCa, "cluster", 3650, false, Clock.systemUTC());
        assertThatThrownBy(() -> TlsMaterial.load(cert, key, foreignCa.resolve("ca-cert.pem")))
                .hasMessageStartingWith(cert + ": is not signed by the CA in " + foreignCa.resolve("ca-cert.pem"));
        assertThatThrownBy(() -> TlsMaterial.load(cert, key, cert))
                .hasMessageStartingWith(cert + ": is not a CA certificate");

        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC);
        assertThatThrownBy(() -> TlsMaterial.load(cert, key, ca, later)).hasMessageContaining(cert + ": the certificate expired");
        assertThat(TlsMaterial.load(cert, key, ca).expiry(Clock.systemUTC()).daysLeft()).isBetween(29L, 30L);
    }

    private SSLServerSocket serverSocket(TlsMaterial material) throws IOException {
        SSLServerSocket server = (SSLServerSocket) material.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        return material.configure(server);
    }

    private SSLSocket connect(TlsMaterial material, SSLServerSocket server) throws IOException {
        return connect(material.sslContext(), material, server);
    }

    /** With {@code context}'s keys and trust, and {@code material}'s TLS parameters. */
    private SSLSocket connect(SSLContext context, TlsMaterial material, SSLServerSocket server) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        socket.setSoTimeout(10_000);
        return material.configure(socket);
    }

    /** Accepts one connection, handshakes, answers one byte with byte+1. */
    private Future<ServerSaw> serveOnce(SSLServerSocket server) {
        return executor.submit(() -> {
            server.setSoTimeout(20_000);
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                InputStream in = s.getInputStream();
                int b = in.read();
                s.getOutputStream().write(b + 1);
                s.getOutputStream().flush();
                return new ServerSaw(s.getSession().getProtocol(), NodeIdentity.of(peer).orElse(null));
            }
        });
    }

    /** Either side may notice first; what matters is that no application byte gets through and the server refused. */
    private void assertHandshakeFails(TlsMaterial serverMaterial, TlsMaterial clientMaterial) throws Exception {
        assertHandshakeFails(serverMaterial, clientMaterial.sslContext(), clientMaterial);
    }

    private void assertHandshakeFails(TlsMaterial serverMaterial, SSLContext clientContext, TlsMaterial clientMaterial)
            throws Exception {
        try (SSLServerSocket server = serverSocket(serverMaterial)) {
            Future<ServerSaw> saw = serveOnce(server);
            CompletableFuture<Integer> echoed = new CompletableFuture<>();
            try (SSLSocket socket = connect(clientContext, clientMaterial, server)) {
                try {
                    socket.startHandshake();
                    socket.getOutputStream().write(1);
                    socket.getOutputStream().flush();
                    echoed.complete(socket.getInputStream().read());
                } catch (IOException expected) {
                    echoed.complete(-2);
                }
            }
            assertThat(echoed.get()).as("no echo from the server").isNotEqualTo(2);
            assertThatThrownBy(() -> saw.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(javax.net.ssl.SSLException.class);
        }
    }
}
