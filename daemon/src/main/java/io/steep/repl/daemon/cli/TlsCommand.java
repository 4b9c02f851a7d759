package io.steep.repl.daemon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steep.repl.daemon.certs.CertificateReport;
import io.steep.repl.daemon.certs.CertificateSigningRequests;
import io.steep.repl.daemon.certs.CertsDirectory;
import io.steep.repl.daemon.certs.CertsException;
import io.steep.repl.daemon.certs.CertsJson;
import io.steep.repl.daemon.certs.ClusterCa;
import io.steep.repl.daemon.certs.NodeCertificateIssuer;
import io.steep.repl.daemon.config.ConfigException;
import io.steep.repl.daemon.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code steep-repl tls}: the cluster's certificates. One CA per cluster, made once; node certificates issued from
 * it, either directly ({@code issue-node}) or from a CSR so the node's key never leaves the node.
 */
@Command(name = "tls",
        description = "Manage the cluster CA and node certificates (mutual TLS 1.3 between nodes).",
        subcommands = {TlsCommand.InitCa.class, TlsCommand.IssueNode.class, TlsCommand.CreateCsr.class,
                TlsCommand.SignCsr.class, TlsCommand.Show.class},
        footerHeading = "%nFlows:%n",
        footer = {"  New cluster:  init-ca once, then issue-node NODE_ID --host H per node.",
                "  Add a node:   on the node, create-csr NODE_ID --host H;",
                "                on the CA host, sign-csr node-csr.pem --out node-cert.pem;",
                "                copy node-cert.pem and ca-cert.pem back. The key never travels.",
                "  Certs directory (when no DIR is named): where the node config's",
                "  grpc.tls files are; without a config file, <config dir>/certs.",
                "  See docs/certificates.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the operation failed (one-line reason on stderr)", "2:invalid usage"})
public class TlsCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The directory used when none is given, from the root's {@code --config} (null when not given). */
    private final ConfigDirectory defaultCertsDir;
    private final Clock clock;

    public TlsCommand() {
        this(TlsCommand::configuredCertsDir, Clock.systemUTC());
    }

    /** For tests and embedding: the directory used when none is given, and the clock for validity. */
    public TlsCommand(Path defaultCertsDir, Clock clock) {
        this(cliConfig -> defaultCertsDir, clock);
    }

    private TlsCommand(ConfigDirectory defaultCertsDir, Clock clock) {
        this.defaultCertsDir = defaultCertsDir;
        this.clock = clock;
    }

    @FunctionalInterface
    private interface ConfigDirectory {
        Path resolve(Path cliConfig) throws ConfigException;
    }

    /**
     * The certificates of the node whose config {@code status} would read ({@code --config},
     * {@code $STEEP_REPL_CONFIG}, the platform's): where its {@code grpc.tls} files are, as the daemon's own
     * certificate calls do. The platform's certs directory only when there is no config file yet (a CA host, a new
     * node); a config that cannot be read is reported, not replaced by another directory.
     */
    static Path configuredCertsDir(Path cliConfig) throws ConfigException {
        return ConfigLoader.forThisProcess().forClientOf(cliConfig).loadIfPresent(cliConfig)
                .map(CertsDirectory::forConfig).orElseGet(CertsDirectory::current);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Shared behaviour: resolve defaults, turn a {@link CertsException} into one line on stderr and exit code 1. */
    abstract static class Subcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        TlsCommand parent;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        abstract void run(PrintWriter out) throws ConfigException;

        Path certsDir(Path given) throws ConfigException {
            if (given != null) {
                return given;
            }
            return parent.defaultCertsDir.resolve(SteepReplCommand.configOf(spec));
        }

        Clock clock() {
            return parent.clock;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                run(out);
                out.flush();
                return OK;
            } catch (CertsException e) {
                return fail(e.getMessage());
            } catch (java.io.UncheckedIOException e) {
                return fail(e.getCause().getMessage());
            } catch (ConfigException e) {
                String m = e.getMessage();
                return fail(m + (m.endsWith(".") ? " " : ". ") + "Or name the directory on the command line.", USAGE);
            }
        }

        private int fail(String message) {
            return fail(message, FAILED);
        }

        private int fail(String message, int exitCode) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("steep-repl tls " + spec.name() + ": " + message);
            err.flush();
            return exitCode;
        }
    }

    @Command(name = "init-ca",
            description = {"Create the cluster CA, once per cluster.",
                    "Writes ca-cert.pem (0644) and ca-key.pem (0600). Refuses to replace an",
                    "existing CA unless --force: that orphans every certificate it signed."})
    public static class InitCa extends Subcommand {
        @Option(names = "--out", paramLabel = "DIR", description = "Directory to write to (default: the certs directory).")
        Path out;

        @Option(names = "--name", paramLabel = "CN", defaultValue = ClusterCa.DEFAULT_NAME,
                description = "The CA's common name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--days", paramLabel = "N", defaultValue = "" + ClusterCa.DEFAULT_DAYS,
                description = "Validity in days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--force", description = "Replace an existing CA.")
        boolean force;

        @Override
        void run(PrintWriter o) throws ConfigException {
            Path dir = certsDir(out);
            ClusterCa.CaFiles files = ClusterCa.initialize(dir, name, days, force, clock());
            o.println("Created CA '" + name + "' in " + dir);
            o.println("  " + files.certificate() + "  (0644: copy it to every node)");
            o.println("  " + files.key() + "  (0600: keep it secret; only needed to issue node certificates)");
            o.println("  expires " + files.report().notAfter() + ", SHA-256 " + files.report().sha256Fingerprint());
            o.println("Next: steep-repl tls issue-node NODE_ID --ca " + dir + " --out DIR --host HOST");
        }
    }

    @Command(name = "issue-node",
            description = {"Issue a node's key and certificate from the CA.",
                    "Writes the bundle the node needs: node-cert.pem (0644), node-key.pem",
                    "(0600) and a copy of ca-cert.pem. Refuses to replace an existing node",
                    "key unless --force."})
    public static class IssueNode extends Subcommand {
        @Parameters(paramLabel = "NODE_ID", description = "The node id (letters, digits, '.', '_', '-'; max 63).")
        String nodeId;

        @Option(names = "--ca", paramLabel = "DIR", description = "Directory of the CA (default: the certs directory).")
        Path ca;

        @Option(names = "--out", paramLabel = "DIR", description = "Where to write the bundle (default: the certs directory).")
        Path out;

        @Option(names = "--host", paramLabel = "H", split = ",",
                description = "A DNS name or IP address the node is reached at (repeatable).")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--days", paramLabel = "N", defaultValue = "" + NodeCertificateIssuer.DEFAULT_DAYS,
                description = "Validity in days (default: ${DEFAULT-VALUE}; never beyond the CA's).")
        int days;

        @Option(names = "--force", description = "Replace an existing node certificate and key in --out.")
        boolean force;

        @Override
        void run(PrintWriter o) throws ConfigException {
            NodeCertificateIssuer.IssuedBundle bundle = NodeCertificateIssuer.issue(certsDir(ca), nodeId, hosts, days,
                    certsDir(out), force, clock());
            o.println("Issued certificate for node '" + nodeId + "'");
            o.println("  " + bundle.certificate() + "  (0644)");
            o.println("  " + bundle.key() + "  (0600: move it to the node, never share it)");
            o.println("  " + bundle.caCertificate() + "  (0644)");
            o.println("  SANs " + String.join(", ", bundle.report().subjectAltNames()));
            o.println("  expires " + bundle.report().notAfter() + ", SHA-256 " + bundle.report().sha256Fingerprint());
        }
    }

    @Command(name = "create-csr",
            description = {"On a node: create its key and a certificate signing request.",
                    "Writes node-key.pem (0600) and node-csr.pem (0644). Send only the CSR",
                    "to the CA holder; the key stays here."})
    public static class CreateCsr extends Subcommand {
        @Parameters(paramLabel = "NODE_ID", description = "The node id (letters, digits, '.', '_', '-'; max 63).")
        String nodeId;

        @Option(names = "--out", paramLabel = "DIR", description = "Directory to write to (default: the certs directory).")
        Path out;

        @Option(names = "--host", paramLabel = "H", split = ",",
                description = "A DNS name or IP address the node is reached at (repeatable).")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--force", description = "Replace an existing node key and CSR in --out.")
        boolean force;

        @Override
        void run(PrintWriter o) throws ConfigException {
            CertificateSigningRequests.CsrFiles files = CertificateSigningRequests.create(nodeId, hosts, certsDir(out), force);
            o.println("Created key and CSR for node '" + nodeId + "'");
            o.println("  " + files.key() + "  (0600: stays on this node)");
            o.println("  " + files.csr() + "  (send this to the CA holder)");
            o.println("Next, on the CA host: steep-repl tls sign-csr " + files.csr().getFileName()
                    + " --ca DIR --out node-cert.pem; then copy node-cert.pem and ca-cert.pem into " + files.key().getParent());
        }
    }

    @Command(name = "sign-csr",
            description = {"On the CA host: verify a node's CSR and sign it.",
                    "Refuses a CSR whose signature does not verify, whose CN is not a valid",
                    "node id, whose key is not P-256, or that asks for SANs other than DNS",
                    "names, IP addresses and its own node URI. The CA decides the content",
                    "(CN and SAN URI = node id, the requested DNS/IP names); other requested",
                    "extensions are ignored. Also writes ca-cert.pem beside --out if absent."})
    public static class SignCsr extends Subcommand {
        @Parameters(paramLabel = "CSR_FILE", description = "The node's node-csr.pem.")
        Path csr;

        @Option(names = "--ca", paramLabel = "DIR", description = "Directory of the CA (default: the certs directory).")
        Path ca;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Certificate file to write.")
        Path out;

        @Option(names = "--days", paramLabel = "N", defaultValue = "" + NodeCertificateIssuer.DEFAULT_DAYS,
                description = "Validity in days (default: ${DEFAULT-VALUE}; never beyond the CA's).")
        int days;

        @Option(names = "--force", description = "Replace --out if it exists.")
        boolean force;

        @Override
        void run(PrintWriter o) throws ConfigException {
            CertificateSigningRequests.SignedCertificate signed = CertificateSigningRequests.sign(csr, certsDir(ca), out,
                    days, force, clock());
            o.println("Signed certificate for node '" + signed.report().nodeId() + "'");
            o.println("  " + signed.certificate() + "  (0644)");
            o.println("  " + signed.caCertificate() + "  (0644)");
            o.println("  SANs " + String.join(", ", signed.report().subjectAltNames()));
            o.println("  expires " + signed.report().notAfter() + ", SHA-256 " + signed.report().sha256Fingerprint());
            o.println("Copy both files back to the node, next to its node-key.pem.");
        }
    }

    @Command(name = "show",
            description = {"Describe certificates and warn about problems.",
                    "Subject, SANs, issuer, validity, days left, SHA-256 fingerprint. Warns",
                    "when one expires within " + CertificateReport.WARN_DAYS
                            + " days or does not chain to the ca-cert.pem",
                    "next to it."})
    public static class Show extends Subcommand {
        @Parameters(paramLabel = "FILE|DIR", arity = "0..1",
                description = "A certificate file or a directory of them (default: the certs directory).")
        Path target;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        void run(PrintWriter o) throws ConfigException {
            List<CertificateReport> reports = CertificateReport.inspect(certsDir(target), clock());
            if (json) {
                try {
                    o.println(CertsJson.mapper().writeValueAsString(reports));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return;
            }
            boolean first = true;
            for (CertificateReport r : reports) {
                if (!first) {
                    o.println();
                }
                first = false;
                row(o, "File", String.valueOf(r.file()));
                row(o, "Subject", r.subject());
                if (r.nodeId() != null) {
                    row(o, "Node id", r.nodeId());
                }
                row(o, "SANs", r.subjectAltNames().isEmpty() ? "-" : String.join(", ", r.subjectAltNames()));
                row(o, "Issuer", r.issuer());
                row(o, "CA", r.certificateAuthority() ? "yes" : "no");
                row(o, "Serial", r.serial());
                row(o, "Not before", r.notBefore().toString());
                row(o, "Not after", r.notAfter().toString());
                row(o, "Days left", Long.toString(r.daysLeft()));
                row(o, "SHA-256", r.sha256Fingerprint());
                row(o, "Chain", switch (r.chain()) {
                    case SELF_SIGNED_CA -> "self-signed CA";
                    case SIGNED_BY_CA -> "signed by the " + ClusterCa.CERT_FILE + " next to it";
                    case NOT_SIGNED_BY_CA -> "NOT signed by the " + ClusterCa.CERT_FILE + " next to it";
                    case NO_CA -> "not checked (no " + ClusterCa.CERT_FILE + " next to it)";
                });
                for (String w : r.warnings()) {
                    o.println("WARNING: " + w);
                }
            }
        }

        private static void row(PrintWriter o, String label, String value) {
            o.printf("%-11s %s%n", label, value);
        }
    }
}
