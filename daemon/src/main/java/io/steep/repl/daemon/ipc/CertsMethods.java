package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.steep.repl.daemon.certs.CertificateReport;
import io.steep.repl.daemon.certs.CertificateSigningRequests;
import io.steep.repl.daemon.certs.CertsDirectory;
import io.steep.repl.daemon.certs.CertsException;
import io.steep.repl.daemon.certs.CertsJson;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcMethods;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code certs.status|init_ca|issue_node|create_csr|sign_csr}: the {@code steep-repl tls} operations over IPC.
 * Answers are the certs package's result records as {@link CertsJson} writes them (paths and reports, camelCase
 * as in {@code tls show --json}); they name key files but never carry key material.
 */
final class CertsMethods {

    /** Built at the first certificate call, not when the methods are registered: a start binds no records. */
    private static final class Json {
        static final ObjectMapper MAPPER = CertsJson.mapper();
    }

    private CertsMethods() {
    }

    static List<IpcMethod> all(DaemonConfig config, Clock clock) {
        Path dir = CertsDirectory.forConfig(config);
        return List.of(new Status(config, dir, clock), new InitCa(dir, clock), new IssueNode(config, dir, clock),
                new CreateCsr(config, dir), new SignCsr(dir, clock));
    }

    /**
     * {@code certs.status}: every certificate of {@code dir}, the CA and this node's certificate picked out, the
     * configured files, and the names this node is probably reached at (to prefill {@code hosts}). A directory that
     * does not exist or holds no certificate is not an error: nothing has been set up yet.
     */
    record Status(DaemonConfig config, Path defaultDir, Clock clock) implements IpcMethod {
        @Override
        public String name() {
            return IpcMethods.CERTS_STATUS;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            Optional<Path> dirParam = AdminParams.optionalPath(params, "dir");
            // ca_dir: what the tray's "use an existing CA" page sends; the same directory to look at
            Optional<Path> asked = dirParam.isPresent() ? dirParam : AdminParams.optionalPath(params, "ca_dir");
            Path dir = asked.orElse(defaultDir);
            DaemonConfig.Tls tls = config.grpc().tls();
            List<CertificateReport> reports = new ArrayList<>();
            try {
                if (Files.isDirectory(dir)) {
                    try {
                        reports.addAll(CertificateReport.inspect(dir, clock));
                    } catch (CertsException e) {
                        if (e.reason() != CertsException.Reason.NOT_FOUND) {
                            throw e;
                        }
                        // no certificate in it yet
                    }
                } else if (asked.isPresent()) {
                    throw new CertsException(CertsException.Reason.NOT_FOUND, dir + ": no such directory");
                }
                if (asked.isEmpty()) {
                    // the configured node certificate may live elsewhere; it is the one the daemon serves
                    for (Optional<Path> f : List.of(tls.certFile(), tls.caFile())) {
                        if (f.isPresent() && Files.isRegularFile(f.get()) && reports.stream().noneMatch(r -> f.get().equals(r.file()))) {
                            reports.addAll(CertificateReport.inspect(f.get(), clock));
                        }
                    }
                }
            } catch (CertsException e) {
                throw toIpc(e);
            }
            // built by hand (CertificateReport.toJson): the tray asks this at every connect
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("dir", dir.toString()).put("exists", Files.isDirectory(dir));
            result.set("ca", pick(reports, true, asked.isEmpty() ? tls.caFile() : Optional.empty(), ClusterCa.CERT_FILE));
            result.set("node", pick(reports, false, asked.isEmpty() ? tls.certFile() : Optional.empty(), NodeCertificateIssuer.CERT_FILE));
            ArrayNode certificates = result.putArray("certificates");
            reports.forEach(r -> certificates.add(r.toJson()));
            ObjectNode configured = result.putObject("configured");
            tls.certFile().ifPresent(f -> configured.put("cert_file", f.toString()));
            tls.keyFile().ifPresent(f -> configured.put("key_file", f.toString()));
            tls.caFile().ifPresent(f -> configured.put("ca_file", f.toString()));
            ArrayNode hosts = result.putArray("suggested_hosts");
            suggestedHosts(config).forEach(hosts::add);
            return result;
        }

        /** The configured file's report, else the one with the conventional name, else the first of its kind. */
        private static JsonNode pick(List<CertificateReport> reports, boolean ca, Optional<Path> configured, String fileName) {
            List<CertificateReport> kind = reports.stream().filter(r -> r.certificateAuthority() == ca).toList();
            Optional<CertificateReport> chosen = configured.flatMap(f -> kind.stream().filter(r -> f.equals(r.file())).findFirst())
                    .or(() -> kind.stream().filter(r -> r.file() != null && r.file().getFileName().toString().equals(fileName)).findFirst())
                    .or(() -> kind.stream().findFirst());
            return chosen.<JsonNode>map(CertificateReport::toJson).orElse(JsonNodeFactory.instance.nullNode());
        }
    }

    /** {@code certs.init_ca}: a new cluster CA. */
    record InitCa(Path defaultDir, Clock clock) implements IpcMethod {
        @Override
        public String name() {
            return IpcMethods.CERTS_INIT_CA;
        }

        @Override
        public Access access() {
            return Access.PRIVILEGED;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            Path dir = AdminParams.optionalPath(params, "dir").orElse(defaultDir);
            String cn = AdminParams.optionalString(params, "common_name").orElse(ClusterCa.DEFAULT_NAME);
            int days = Params.optionalInt(params, "days", ClusterCa.DEFAULT_DAYS, 1, ClusterCa.MAX_DAYS);
            boolean force = AdminParams.flag(params, "force");
            try {
                return Json.MAPPER.valueToTree(ClusterCa.initialize(dir, cn, days, force, clock));
            } catch (CertsException e) {
                throw toIpc(e);
            }
        }
    }

    /** {@code certs.issue_node}: key + certificate + CA copy for a node, signed by the CA of {@code ca_dir}. */
    record IssueNode(DaemonConfig config, Path defaultDir, Clock clock) implements IpcMethod {
        @Override
        public String name() {
            return IpcMethods.CERTS_ISSUE_NODE;
        }

        @Override
        public Access access() {
            return Access.PRIVILEGED;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            String nodeId = AdminParams.optionalString(params, "node_id").orElse(config.nodeId());
            List<String> hosts = Params.stringList(params, "hosts");
            int days = Params.optionalInt(params, "days", NodeCertificateIssuer.DEFAULT_DAYS, 1, ClusterCa.MAX_DAYS);
            Path caDir = AdminParams.optionalPath(params, "ca_dir").orElse(defaultDir);
            Path outDir = AdminParams.optionalPath(params, "out_dir").orElse(defaultDir);
            boolean force = AdminParams.flag(params, "force");
            try {
                return Json.MAPPER.valueToTree(NodeCertificateIssuer.issue(caDir, nodeId, hosts, days, outDir, force, clock));
            } catch (CertsException e) {
                throw toIpc(e);
            }
        }
    }

    /** {@code certs.create_csr}: a key that stays here and a CSR to hand to the CA holder. */
    record CreateCsr(DaemonConfig config, Path defaultDir) implements IpcMethod {
        @Override
        public String name() {
            return IpcMethods.CERTS_CREATE_CSR;
        }

        @Override
        public Access access() {
            return Access.PRIVILEGED;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            String nodeId = AdminParams.optionalString(params, "node_id").orElse(config.nodeId());
            List<String> hosts = Params.stringList(params, "hosts");
            Path outDir = AdminParams.optionalPath(params, "out_dir").orElse(defaultDir);
            boolean force = AdminParams.flag(params, "force");
            try {
                return Json.MAPPER.valueToTree(CertificateSigningRequests.create(nodeId, hosts, outDir, force));
            } catch (CertsException e) {
                throw toIpc(e);
            }
        }
    }

    /** {@code certs.sign_csr}: the CA of {@code ca_dir} signs a CSR file. */
    record SignCsr(Path defaultDir, Clock clock) implements IpcMethod {
        @Override
        public String name() {
            return IpcMethods.CERTS_SIGN_CSR;
        }

        @Override
        public Access access() {
            return Access.PRIVILEGED;
        }

        @Override
        public Object handle(JsonNode params, CallContext ctx) throws IpcException {
            Path csr = AdminParams.requiredPath(params, "csr_file");
            Path caDir = AdminParams.optionalPath(params, "ca_dir").orElse(defaultDir);
            Path out = AdminParams.optionalPath(params, "out_file").orElse(certificateBeside(csr));
            int days = Params.optionalInt(params, "days", NodeCertificateIssuer.DEFAULT_DAYS, 1, ClusterCa.MAX_DAYS);
            boolean force = AdminParams.flag(params, "force");
            try {
                return Json.MAPPER.valueToTree(CertificateSigningRequests.sign(csr, caDir, out, days, force, clock));
            } catch (CertsException e) {
                throw toIpc(e);
            }
        }
    }

    /** {@code node-csr.pem} → {@code node-cert.pem}, {@code b-csr.pem} → {@code b-cert.pem}, {@code x.pem} → {@code x-cert.pem}. */
    static Path certificateBeside(Path csr) {
        String name = csr.getFileName().toString();
        String cert;
        if (name.endsWith("csr.pem")) {
            cert = name.substring(0, name.length() - "csr.pem".length()) + "cert.pem";
        } else {
            int dot = name.lastIndexOf('.');
            cert = (dot > 0 ? name.substring(0, dot) : name) + "-cert.pem";
        }
        return csr.resolveSibling(cert);
    }

    /**
     * Names a peer could dial this node by: the advertised host, the host name (short and canonical), and the
     * machine's non-loopback addresses. A suggestion for the form, nothing is checked.
     */
    static List<String> suggestedHosts(DaemonConfig config) {
        Set<String> out = new LinkedHashSet<>();
        config.grpc().advertiseHost().ifPresent(out::add);
        try {
            InetAddress local = InetAddress.getLocalHost();
            out.add(local.getHostName());
            out.add(local.getCanonicalHostName());
        } catch (UnknownHostException e) {
            // no resolvable host name: the addresses below still work
        }
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        v4.add(a.getHostAddress());
                    } else if (a instanceof Inet6Address && !a.isLinkLocalAddress()) {
                        String s = a.getHostAddress();
                        int zone = s.indexOf('%');
                        v6.add(zone < 0 ? s : s.substring(0, zone));
                    }
                }
            }
        } catch (SocketException e) {
            // interfaces cannot be listed here: suggest the names only
        }
        v4.stream().sorted().forEach(out::add);
        v6.stream().sorted().forEach(out::add);
        out.removeIf(h -> h == null || h.isBlank());
        return List.copyOf(out);
    }

    static IpcException toIpc(CertsException e) {
        IpcErrorCode code = switch (e.reason()) {
            case INVALID_ARGUMENT -> IpcErrorCode.INVALID_PARAMS;
            case NOT_FOUND -> IpcErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> IpcErrorCode.ALREADY_EXISTS;
            case INVALID_FILE, VERIFICATION_FAILED -> IpcErrorCode.INVALID_FILE;
            case IO -> e.getCause() instanceof AccessDeniedException ? IpcErrorCode.PERMISSION_DENIED : IpcErrorCode.OPERATION_FAILED;
        };
        String message = e.getMessage();
        if (code == IpcErrorCode.PERMISSION_DENIED) {
            message += " (the daemon does this as its own account, " + System.getProperty("user.name") + ")";
        }
        return new IpcException(code, message, e);
    }
}
