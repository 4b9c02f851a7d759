package io.steep.repl.daemon.certs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a person (or the tray's certificate page) needs to know about one certificate: who it names, who signed it,
 * how long it has left, its fingerprint, and whether it chains to the CA stored next to it.
 *
 * @param file              where it was read from, or null when described in memory
 * @param nodeId            the identity a peer would see ({@link NodeIdentity#of}), or null (e.g. a CA)
 * @param subjectAltNames   {@code DNS:x}, {@code IP:x}, {@code URI:x}...
 * @param daysLeft          whole days until notAfter, negative once expired
 * @param chain             how it relates to the CA alongside it
 * @param warnings          one sentence each; empty when all is well
 */
public record CertificateReport(
        Path file,
        String subject,
        String issuer,
        String nodeId,
        List<String> subjectAltNames,
        String serial,
        Instant notBefore,
        Instant notAfter,
        long daysLeft,
        String sha256Fingerprint,
        boolean certificateAuthority,
        Chain chain,
        List<String> warnings) {

    /** Certificates expiring within this many days get a warning (CLI, status, /health). */
    public static final int WARN_DAYS = 30;

    public enum Chain {
        /** A self-signed CA certificate whose self-signature verifies. */
        SELF_SIGNED_CA,
        /** Signed by the CA certificate alongside it. */
        SIGNED_BY_CA,
        /** A CA certificate is alongside, but did not sign this one. */
        NOT_SIGNED_BY_CA,
        /** No CA certificate alongside: nothing to check against. */
        NO_CA
    }

    public CertificateReport {
        subjectAltNames = List.copyOf(subjectAltNames);
        warnings = List.copyOf(warnings);
    }

    /**
     * As {@link CertsJson#mapper()} writes the record (component names, paths and instants as text), built by hand:
     * the tray asks {@code certs.status} whenever it connects, and a daemon answering it should not load Jackson's
     * data binding for four fields of text ({@code CertificateReportTest} holds the two to the same JSON).
     */
    public ObjectNode toJson() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode n = nodes.objectNode();
        n.put("file", file == null ? null : file.toString());
        n.put("subject", subject);
        n.put("issuer", issuer);
        n.put("nodeId", nodeId);
        subjectAltNames.forEach(n.putArray("subjectAltNames")::add);
        n.put("serial", serial);
        n.put("notBefore", notBefore == null ? null : notBefore.toString());
        n.put("notAfter", notAfter == null ? null : notAfter.toString());
        n.put("daysLeft", daysLeft);
        n.put("sha256Fingerprint", sha256Fingerprint);
        n.put("certificateAuthority", certificateAuthority);
        n.put("chain", chain == null ? null : chain.name());
        warnings.forEach(n.putArray("warnings")::add);
        return n;
    }

    /**
     * Describes {@code certificate}; {@code ca} is the CA to check it against (null when there is none).
     */
    public static CertificateReport describe(Path file, X509Certificate certificate, X509Certificate ca, Clock clock) {
        Instant now = clock.instant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        long daysLeft = CertificateExpiry.daysBetween(now, notAfter);
        boolean isCa = certificate.getBasicConstraints() >= 0;
        Chain chain = chainOf(certificate, ca);

        List<String> warnings = new ArrayList<>();
        if (!now.isBefore(notAfter)) {
            warnings.add("EXPIRED on " + notAfter);
        } else if (daysLeft < WARN_DAYS) {
            warnings.add("expires in " + daysLeft + " day" + (daysLeft == 1 ? "" : "s") + " (on " + notAfter + ")");
        }
        if (now.isBefore(notBefore)) {
            warnings.add("not valid before " + notBefore + " (check this machine's clock)");
        }
        if (chain == Chain.NOT_SIGNED_BY_CA) {
            warnings.add("does not chain to the CA next to it (" + ClusterCa.CERT_FILE + "): it was issued by "
                    + certificate.getIssuerX500Principal().getName() + " with another key");
        }
        if (isCa && chain != Chain.SELF_SIGNED_CA) {
            warnings.add("is a CA certificate that is not self-signed");
        }
        return new CertificateReport(file,
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                isCa ? null : NodeIdentity.of(certificate).orElse(null),
                subjectAltNames(certificate),
                certificate.getSerialNumber().toString(16),
                notBefore, notAfter, daysLeft,
                fingerprint(certificate),
                isCa, chain, warnings);
    }

    /**
     * {@code steep-repl tls show}: every certificate of a file, or of every {@code *.pem} certificate file of a
     * directory ({@code ca-cert.pem} first). Each is checked against the {@code ca-cert.pem} in its own directory.
     */
    public static List<CertificateReport> inspect(Path fileOrDir, Clock clock) {
        if (!Files.exists(fileOrDir)) {
            throw new CertsException(CertsException.Reason.NOT_FOUND, fileOrDir + ": no such file or directory");
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(fileOrDir)) {
            try (Stream<Path> list = Files.list(fileOrDir)) {
                list.filter(p -> p.getFileName().toString().endsWith(".pem") && Files.isRegularFile(p))
                        .filter(CertificateReport::holdsCertificate)
                        .sorted((a, b) -> rank(a) != rank(b) ? Integer.compare(rank(a), rank(b)) : a.compareTo(b))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new CertsException(CertsException.Reason.IO, "cannot list " + fileOrDir + ": " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new CertsException(CertsException.Reason.NOT_FOUND, fileOrDir + ": holds no certificate "
                        + "(*.pem with -----BEGIN CERTIFICATE-----)");
            }
        } else {
            files.add(fileOrDir);
        }
        List<CertificateReport> reports = new ArrayList<>();
        for (Path file : files) {
            X509Certificate ca = caNextTo(file);
            for (X509Certificate certificate : PemFiles.readCertificates(file)) {
                reports.add(describe(file, certificate, ca, clock));
            }
        }
        return reports;
    }

    private static int rank(Path p) {
        return p.getFileName().toString().equals(ClusterCa.CERT_FILE) ? 0 : 1;
    }

    private static boolean holdsCertificate(Path p) {
        try {
            return PemFiles.readText(p).contains("-----BEGIN CERTIFICATE-----");
        } catch (CertsException e) {
            return true; // let inspect report the read error for this file
        }
    }

    /** The CA certificate stored beside {@code file}, or null when there is none or it cannot be read. */
    static X509Certificate caNextTo(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path caFile = dir == null ? null : dir.resolve(ClusterCa.CERT_FILE);
        if (caFile == null || !Files.isRegularFile(caFile)) {
            return null;
        }
        try {
            return PemFiles.readCertificate(caFile);
        } catch (CertsException e) {
            return null;
        }
    }

    static Chain chainOf(X509Certificate certificate, X509Certificate ca) {
        boolean selfIssued = certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
        if (certificate.getBasicConstraints() >= 0 && selfIssued && verifies(certificate, certificate)) {
            return Chain.SELF_SIGNED_CA;
        }
        if (ca == null) {
            return Chain.NO_CA;
        }
        return verifies(certificate, ca) ? Chain.SIGNED_BY_CA : Chain.NOT_SIGNED_BY_CA;
    }

    static boolean verifies(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (List<?> n : names) {
                int type = (Integer) n.get(0);
                String label = switch (type) {
                    case 1 -> "EMAIL";
                    case 2 -> "DNS";
                    case 6 -> "URI";
                    case 7 -> "IP";
                    default -> "TYPE" + type;
                };
                out.add(label + ":" + (n.get(1) instanceof String s ? s : "<binary>"));
            }
            return out;
        } catch (CertificateParsingException e) {
            return List.of("<unparseable: " + e.getMessage().toLowerCase(Locale.ROOT) + ">");
        }
    }
}
