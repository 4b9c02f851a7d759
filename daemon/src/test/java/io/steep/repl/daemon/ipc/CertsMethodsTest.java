package io.steep.repl.daemon.ipc;

import io.steep.repl.daemon.PosixModes;
import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.daemon.service.RecordingRunner;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** certs.* over a real socket, writing real files in temp directories. No answer may carry key material. */
@Timeout(120)
class CertsMethodsTest {

    @TempDir
    Path dir;
    private AdminServer ipc;
    private Path certs;
    private final List<JsonNode> answers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ipc = new AdminServer(dir, Fixtures.adminDeps(Fixtures.unreachableDataSource(), dir, new RecordingRunner(), null));
        certs = dir.resolve("certs"); // next to the config file: no TLS file configured
    }

    @AfterEach
    void stop() throws Exception {
        ipc.close();
        // every answer of the test, against every private key written during it
        List<String> keyBodies = new ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(p);
                if (text.contains("PRIVATE KEY-----")) {
                    String body = text.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
                    keyBodies.add(body.substring(0, 40));
                }
            }
        }
        for (JsonNode a : answers) {
            assertThat(a.toString()).doesNotContain("PRIVATE KEY").doesNotContain("PRIVATE");
            for (String body : keyBodies) {
                assertThat(a.toString()).doesNotContain(body);
            }
        }
    }

    private JsonNode call(String method, Object params) throws Exception {
        JsonNode a = ipc.call(method, params);
        answers.add(a);
        return a;
    }


    @Test
    void caThenNodeInTheDefaultDirectoryAndStatusShowsBoth() throws Exception {
        JsonNode empty = call(IpcMethods.CERTS_STATUS, null);
        assertThat(empty.path("dir").asText()).isEqualTo(certs.toString());
        assertThat(empty.path("exists").asBoolean(true)).isFalse();
        assertThat(empty.path("certificates")).isEmpty();
        assertThat(empty.path("ca").isNull()).isTrue();
        assertThat(empty.path("node").isNull()).isTrue();
        assertThat(empty.path("suggested_hosts").get(0).asText()).isEqualTo("node-a.example");

        JsonNode ca = call(IpcMethods.CERTS_INIT_CA, Map.of("common_name", "Test CA", "days", 100));
        assertThat(ca.path("certificate").asText()).isEqualTo(certs.resolve("ca-cert.pem").toString());
        assertThat(ca.path("key").asText()).isEqualTo(certs.resolve("ca-key.pem").toString());
        assertThat(ca.at("/report/subject").asText()).isEqualTo("CN=Test CA");
        assertThat(ca.at("/report/certificateAuthority").asBoolean()).isTrue();
        assertThat(ca.at("/report/daysLeft").asLong()).isBetween(99L, 100L);
        PosixModes.assertMode(certs, "rwx------");
        PosixModes.assertMode(certs.resolve("ca-key.pem"), "rw-------");
        PosixModes.assertMode(certs.resolve("ca-cert.pem"), "rw-r--r--");

        JsonNode node = call(IpcMethods.CERTS_ISSUE_NODE, Map.of("hosts", List.of("node-a.example", "10.0.0.5")));
        assertThat(node.path("certificate").asText()).isEqualTo(certs.resolve("node-cert.pem").toString());
        assertThat(node.path("caCertificate").asText()).isEqualTo(certs.resolve("ca-cert.pem").toString());
        assertThat(node.at("/report/nodeId").asText()).isEqualTo("node-a"); // the configured node id by default
        assertThat(node.at("/report/subjectAltNames").toString()).contains("DNS:node-a.example", "IP:10.0.0.5");
        assertThat(node.at("/report/chain").asText()).isEqualTo("SIGNED_BY_CA");
        PosixModes.assertMode(certs.resolve("node-key.pem"), "rw-------");

        JsonNode status = call(IpcMethods.CERTS_STATUS, null);
        assertThat(status.path("exists").asBoolean()).isTrue();
        assertThat(status.at("/ca/subject").asText()).isEqualTo("CN=Test CA");
        assertThat(status.at("/node/nodeId").asText()).isEqualTo("node-a");
        assertThat(status.at("/node/sha256Fingerprint").asText()).isEqualTo(node.at("/report/sha256Fingerprint").asText());
        assertThat(status.path("certificates")).hasSize(2);
    }

    @Test
    void anExistingCaIsKeptUnlessForced() throws Exception {
        JsonNode first = call(IpcMethods.CERTS_INIT_CA, null);
        assertThat(first.at("/report/subject").asText()).isEqualTo("CN=steep-repl cluster CA");

        IpcException again = ipc.error(IpcMethods.CERTS_INIT_CA, null);
        assertThat(again.errorCode()).isEqualTo(IpcErrorCode.ALREADY_EXISTS);
        assertThat(again.getMessage()).contains("a CA already exists in " + certs);

        JsonNode replaced = call(IpcMethods.CERTS_INIT_CA, Map.of("force", true));
        assertThat(replaced.at("/report/sha256Fingerprint").asText()).isNotEqualTo(first.at("/report/sha256Fingerprint").asText());
    }

    @Test
    void csrCreatedElsewhereIsSignedNextToItself() throws Exception {
        call(IpcMethods.CERTS_INIT_CA, null);
        Path nodeB = dir.resolve("node-b");

        JsonNode csr = call(IpcMethods.CERTS_CREATE_CSR, Map.of("node_id", "node-b", "hosts", List.of("node-b.example"),
                "out_dir", nodeB.toString()));
        assertThat(csr.path("csr").asText()).isEqualTo(nodeB.resolve("node-csr.pem").toString());
        assertThat(csr.path("nodeId").asText()).isEqualTo("node-b");
        PosixModes.assertMode(nodeB.resolve("node-key.pem"), "rw-------");

        JsonNode signed = call(IpcMethods.CERTS_SIGN_CSR, Map.of("csr_file", nodeB.resolve("node-csr.pem").toString(), "days", 30));
        assertThat(signed.path("certificate").asText()).isEqualTo(nodeB.resolve("node-cert.pem").toString());
        assertThat(signed.at("/report/nodeId").asText()).isEqualTo("node-b");
        assertThat(signed.at("/report/chain").asText()).isEqualTo("SIGNED_BY_CA");
        assertThat(nodeB.resolve("ca-cert.pem")).exists();

        IpcException again = ipc.error(IpcMethods.CERTS_SIGN_CSR, Map.of("csr_file", nodeB.resolve("node-csr.pem").toString()));
        assertThat(again.errorCode()).isEqualTo(IpcErrorCode.ALREADY_EXISTS);

        JsonNode status = call(IpcMethods.CERTS_STATUS, Map.of("dir", nodeB.toString()));
        assertThat(status.at("/node/nodeId").asText()).isEqualTo("node-b");
        assertThat(status.at("/ca/certificateAuthority").asBoolean()).isTrue();
        // the tray's spelling
        assertThat(call(IpcMethods.CERTS_STATUS, Map.of("ca_dir", nodeB.toString())).path("dir").asText()).isEqualTo(nodeB.toString());
    }

    @Test
    void refusalsCarryTheirCode() throws Exception {
        expect(IpcMethods.CERTS_ISSUE_NODE, Map.of("node_id", "node-c"), IpcErrorCode.NOT_FOUND, "ca-cert.pem");
        expect(IpcMethods.CERTS_STATUS, Map.of("dir", dir.resolve("nowhere").toString()), IpcErrorCode.NOT_FOUND, "no such directory");
        expect(IpcMethods.CERTS_INIT_CA, Map.of("dir", "certs"), IpcErrorCode.INVALID_PARAMS, "params.dir must be an absolute path");
        expect(IpcMethods.CERTS_ISSUE_NODE, Map.of("out_dir", "./out"), IpcErrorCode.INVALID_PARAMS, "params.out_dir must be an absolute path");
        expect(IpcMethods.CERTS_SIGN_CSR, Map.of("csr_file", "node-csr.pem"), IpcErrorCode.INVALID_PARAMS, "params.csr_file must be an absolute path");
        expect(IpcMethods.CERTS_SIGN_CSR, Map.of(), IpcErrorCode.INVALID_PARAMS, "params.csr_file is required");
        expect(IpcMethods.CERTS_INIT_CA, Map.of("days", 40000), IpcErrorCode.INVALID_PARAMS, "params.days must be between 1 and 36500");
        expect(IpcMethods.CERTS_INIT_CA, Map.of("force", "yes"), IpcErrorCode.INVALID_PARAMS, "params.force must be true or false");

        call(IpcMethods.CERTS_INIT_CA, null);
        expect(IpcMethods.CERTS_ISSUE_NODE, Map.of("node_id", "Node C!"), IpcErrorCode.INVALID_PARAMS, "Node C!");
        expect(IpcMethods.CERTS_CREATE_CSR, Map.of("hosts", List.of("bad host!"), "out_dir", dir.resolve("x").toString()),
                IpcErrorCode.INVALID_PARAMS, "bad host!");
        Path garbage = Files.writeString(dir.resolve("garbage-csr.pem"), "not a CSR\n");
        expect(IpcMethods.CERTS_SIGN_CSR, Map.of("csr_file", garbage.toString()), IpcErrorCode.INVALID_FILE, garbage.toString());
        assertThat(dir.resolve("garbage-cert.pem")).doesNotExist();
    }

    @Test
    void theConfiguredCertificateDecidesTheDefaultDirectory() throws Exception {
        Path tlsDir = dir.resolve("etc-steep-tls");
        AdminDeps base = Fixtures.adminDeps(Fixtures.unreachableDataSource(), dir, new RecordingRunner(), null);
        AdminDeps deps = new AdminDeps(base.dataSource(), null,
                Fixtures.config(dir, true, Optional.of(tlsDir.resolve("node-cert.pem"))), Clock.systemUTC(), base.service(), null);
        try (AdminServer other = new AdminServer(dir.resolve("other"), deps)) {
            JsonNode ca = other.call(IpcMethods.CERTS_INIT_CA, null);
            answers.add(ca);
            assertThat(ca.path("certificate").asText()).isEqualTo(tlsDir.resolve("ca-cert.pem").toString());
            answers.add(other.call(IpcMethods.CERTS_ISSUE_NODE, Map.of("hosts", List.of("localhost"))));
            JsonNode status = other.call(IpcMethods.CERTS_STATUS, null);
            answers.add(status);
            assertThat(status.at("/configured/cert_file").asText()).isEqualTo(tlsDir.resolve("node-cert.pem").toString());
            assertThat(status.at("/node/file").asText()).isEqualTo(tlsDir.resolve("node-cert.pem").toString());
        }
        assertThat(CertsMethods.certificateBeside(Path.of("/in/node-d-csr.pem"))).isEqualTo(Path.of("/in/node-d-cert.pem"));
        assertThat(CertsMethods.certificateBeside(Path.of("/in/b.req"))).isEqualTo(Path.of("/in/b-cert.pem"));
    }

    private void expect(String method, Object params, IpcErrorCode code, String message) {
        IpcException e = ipc.error(method, params);
        assertThat(e.errorCode()).as(method + " " + params + ": " + e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).as(method + " " + params).contains(message);
    }
}
