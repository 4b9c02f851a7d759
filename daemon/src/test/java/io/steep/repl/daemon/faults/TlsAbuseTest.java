package io.steep.repl.daemon.faults;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.EcKeys;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.certs.PemFiles;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.grpc.TlsContexts;
import io.steep.repl.daemon.lifecycle.Daemon;
import io.steep.repl.proto.v1.CoordinatorGrpc;
import io.steep.repl.proto.v1.HealthCheckRequest;
import io.steep.repl.proto.v1.HealthCheckResponse;
import io.steep.repl.proto.v1.HeartbeatRequest;
import io.steep.repl.proto.v1.RegisterNodeRequest;
import io.steep.repl.testing.PgServer;
import io.steep.repl.testing.RealPostgres;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11, TLS abuse at the gRPC port of a running daemon: random bytes, plaintext HTTP/2, TLS 1.2, oversized
 * messages, expired / not-yet-valid / serverAuth-only / foreign-CA certificates and a node impersonating another.
 * Every attempt is refused, the log gets one line per source address per minute (not one per attempt), and the
 * daemon keeps serving a valid peer throughout.
 */
@ExtendWith(RealPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class TlsAbuseTest {

    @TempDir
    static Path dir;
    private DaemonConfig config;
    private Daemon daemon;
    private LogCapture logs;
    private Path caDir;
    private TrustManagerFactory trust;
    private int port;
    private int attempts;

    @BeforeAll
    void start(PgServer pg) throws Exception {
        logs = LogCapture.open();
        config = FaultDaemons.config(dir, pg, FaultDaemons.database(pg, "tls_abuse"), FaultDaemons.grpcSection(dir, "test-node"), Map.of());
        daemon = FaultDaemons.start(config);
        caDir = dir.resolve("certs/ca");
        trust = trustOf(caDir.resolve(ClusterCa.CERT_FILE));
        port = config.grpc().port();
        FaultDaemons.await(Duration.ofSeconds(20), "gRPC serving", () -> validPeerServed());
    }

    @AfterAll
    void stop() {
        try {
            daemon.stop();
        } finally {
            logs.close();
        }
    }

    // ------------------------------------------------------------------------------------------- the abuse

    @Test
    @Order(0)
    void silentTcpChecksAreNotCountedAsFailedHandshakes() throws Exception {
        double before = metric("steep_repl_grpc_handshake_failures");
        for (int i = 0; i < 3; i++) { // what a load balancer's TCP health check or a port scan does
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            }
        }
        rawExchange(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}); // a broken ClientHello: a failure
        refusedAtHandshake();
        Thread.sleep(300); // the silent connections' closes were handled long before; give any stray count time
        assertThat(metric("steep_repl_grpc_handshake_failures")).as("only the broken ClientHello counts").isEqualTo(before + 1);
    }

    @Test
    @Order(1)
    void randomBytesAreDropped() throws Exception {
        byte[] junk = new byte[8192];
        new SecureRandom().nextBytes(junk);
        junk[0] = 0x16; // looks like a TLS record for one byte, then nonsense
        assertThat(rawExchange(junk)).as("no answer worth reading").isLessThan(64);
        refusedAtHandshake();
    }

    @Test
    @Order(2)
    void plaintextHttp2IsRefused() throws Exception {
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0}; // empty SETTINGS frame
        byte[] both = new byte[preface.length + settings.length];
        System.arraycopy(preface, 0, both, 0, preface.length);
        System.arraycopy(settings, 0, both, preface.length, settings.length);
        rawExchange(both);
        refusedAtHandshake();

        ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        assertThatThrownBy(() -> call(plain, s -> s.healthCheck(HealthCheckRequest.getDefaultInstance())))
                .isInstanceOf(StatusRuntimeException.class);
        refusedAtHandshake();
    }

    @Test
    @Order(3)
    void tls12IsRefusedEvenWithAValidCertificate() throws Exception {
        assertRefused(client(keysOf(validBundle("node-b")), List.of("TLSv1.2")));
    }

    @Test
    @Order(4)
    void expiredCertificateIsRefused() throws Exception {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(10)), ZoneOffset.UTC);
        NodeCertificateIssuer.IssuedBundle b = NodeCertificateIssuer.issue(caDir, "node-b", hosts(), 1, dir.resolve("expired"), false, past);
        assertRefused(client(keysOf(b), List.of("TLSv1.3")));
    }

    @Test
    @Order(5)
    void notYetValidCertificateIsRefused() throws Exception {
        Clock future = Clock.fixed(Instant.now().plus(Duration.ofDays(10)), ZoneOffset.UTC);
        NodeCertificateIssuer.IssuedBundle b = NodeCertificateIssuer.issue(caDir, "node-b", hosts(), 30, dir.resolve("future"), false, future);
        assertRefused(client(keysOf(b), List.of("TLSv1.3")));
    }

    @Test
    @Order(6)
    void serverAuthOnlyCertificateIsRefusedAsAClient() throws Exception {
        X509Certificate caCert = PemFiles.readCertificate(caDir.resolve(ClusterCa.CERT_FILE));
        PrivateKey caKey = PemFiles.readPrivateKey(caDir.resolve(ClusterCa.KEY_FILE));
        KeyPair keys = EcKeys.generateP256();
        Instant now = Instant.now();
        X509Certificate serverOnly = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new JcaX509CertificateHolder(caCert).getSubject(), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=node-b"), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://steep-repl/node/node-b"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                .build(new JcaContentSignerBuilder(EcKeys.SIGNATURE_ALGORITHM).build(caKey)));
        assertRefused(client(keysOf(keys.getPrivate(), serverOnly, caCert), List.of("TLSv1.3")));
    }

    @Test
    @Order(7)
    void foreignCaCertificateIsRefused() throws Exception {
        Path foreignCa = dir.resolve("foreign/ca");
        ClusterCa.initialize(foreignCa, "someone else's CA", 3650, false, Clock.systemUTC());
        NodeCertificateIssuer.IssuedBundle b = NodeCertificateIssuer.issue(foreignCa, "node-b", hosts(), 30, dir.resolve("foreign"), false, Clock.systemUTC());
        assertRefused(client(keysOf(b), List.of("TLSv1.3")));
    }

    @Test
    @Order(8)
    void oversizedMessagesAreRefusedAndTheConnectionStaysUsable() throws Exception {
        ManagedChannel ch = channel(TlsContexts.client(keysOf(validBundle("node-b")), trust, List.of("TLSv1.3")));
        try {
            CoordinatorGrpc.CoordinatorBlockingStub stub = CoordinatorGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
            String huge = "x".repeat(5 * 1024 * 1024);
            assertThatThrownBy(() -> stub.registerNode(RegisterNodeRequest.newBuilder().setNodeId("node-b").setNodeName(huge)
                    .setHost("127.0.0.1").setPort(7000).setPriority(10).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            assertThat(CoordinatorGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .healthCheck(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            ch.shutdownNow();
        }
        assertThat(validPeerServed()).isTrue();
    }

    @Test
    @Order(9)
    void aNodeImpersonatingAnotherIsDenied() throws Exception {
        SslContext asB = TlsContexts.client(keysOf(validBundle("node-b")), trust, List.of("TLSv1.3"));
        assertThatThrownBy(() -> call(channel(asB), s -> s.heartbeat(HeartbeatRequest.newBuilder().setNodeId("test-node").build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> call(channel(asB), s -> s.registerNode(RegisterNodeRequest.newBuilder().setNodeId("node-c")
                .setNodeName("C").setHost("127.0.0.1").setPort(7001).setPriority(99).build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(validPeerServed()).isTrue();
    }

    @Test
    @Order(100)
    void everythingWasRefusedLoggedOncePerSourceAndTheDaemonIsUnaffected() throws Exception {
        assertThat(attempts).as("handshake abuse attempts made by this class").isGreaterThanOrEqualTo(7);
        assertThat(metric("steep_repl_grpc_handshake_failures")).isGreaterThanOrEqualTo(attempts);
        // WARN lines are rate-limited; the DEBUG lines of silent TCP checks are not (DEBUG is asked for)
        List<String> security = logs.lines(l -> l.contains("io.steep.repl.daemon.grpc.security") && l.contains("127.0.0.1")
                && !l.startsWith("DEBUG"));
        assertThat(security).as("one line per source address per minute: %s", security).hasSize(1);
        assertThat(FaultDaemons.call(config, "health.check").path("status").asText()).isEqualTo("healthy");
        assertThat(validPeerServed()).isTrue();
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static List<String> hosts() {
        return List.of("127.0.0.1", "localhost");
    }

    private NodeCertificateIssuer.IssuedBundle validBundle(String id) {
        Path out = dir.resolve("valid-" + id);
        if (out.resolve(NodeCertificateIssuer.CERT_FILE).toFile().exists()) {
            return new NodeCertificateIssuer.IssuedBundle(out.resolve(NodeCertificateIssuer.CERT_FILE),
                    out.resolve(NodeCertificateIssuer.KEY_FILE), out.resolve("ca-cert.pem"), null);
        }
        return NodeCertificateIssuer.issue(caDir, id, hosts(), 30, out, false, Clock.systemUTC());
    }

    private SslContext client(KeyManagerFactory keys, List<String> protocols) {
        return TlsContexts.client(keys, trust, protocols);
    }

    private ManagedChannel channel(SslContext ctx) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).negotiationType(NegotiationType.TLS).sslContext(ctx).build();
    }

    private static <T> T call(ManagedChannel ch, Function<CoordinatorGrpc.CoordinatorBlockingStub, T> f) {
        try {
            return f.apply(CoordinatorGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS));
        } finally {
            ch.shutdownNow();
        }
    }

    private boolean validPeerServed() {
        try {
            HealthCheckResponse r = call(channel(TlsContexts.client(keysOf(validBundle("node-b")), trust, List.of("TLSv1.3"))),
                    s -> s.healthCheck(HealthCheckRequest.getDefaultInstance()));
            return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (Exception e) {
            return false;
        }
    }

    private void assertRefused(SslContext ctx) throws Exception {
        assertThatThrownBy(() -> call(channel(ctx), s -> s.healthCheck(HealthCheckRequest.getDefaultInstance())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        refusedAtHandshake();
    }

    /** The server counted one more failed handshake, and a valid peer is still served. */
    private void refusedAtHandshake() throws Exception {
        attempts++;
        int expected = attempts;
        FaultDaemons.await(Duration.ofSeconds(10), "server counted " + expected + " failed handshakes",
                () -> metric("steep_repl_grpc_handshake_failures") >= expected);
        assertThat(validPeerServed()).as("a valid peer is still served").isTrue();
    }

    /** Sends bytes on a raw TCP connection and reads until the server closes; returns how many bytes came back. */
    private int rawExchange(byte[] bytes) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server hung up mid-write: refused
            }
            InputStream in = s.getInputStream();
            int total = 0;
            try {
                for (int n; (n = in.read(new byte[4096])) > 0; ) {
                    total += n;
                }
            } catch (java.net.SocketException reset) {
                // a reset is a refusal too
            }
            return total;
        }
    }

    private double metric(String name) {
        try {
            String text = FaultDaemons.http(daemon, "/metrics").body();
            return text.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static TrustManagerFactory trustOf(Path caCert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", PemFiles.readCertificate(caCert));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    private static KeyManagerFactory keysOf(NodeCertificateIssuer.IssuedBundle b) {
        try {
            List<X509Certificate> chain = PemFiles.readCertificates(b.certificate());
            return keysOf(PemFiles.readPrivateKey(b.key()), chain.toArray(X509Certificate[]::new));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyManagerFactory keysOf(PrivateKey key, X509Certificate... chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", key, new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf;
    }
}
