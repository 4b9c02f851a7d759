package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.certs.CertsException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The flow in which a node's private key never leaves the node: the node runs {@code create-csr} (key + CSR), the
 * CA holder runs {@code sign-csr} on the CSR alone, and only public data travels either way.
 *
 * <p>The signer trusts nothing in a CSR but its public key: the signature must verify, the CN must be a valid
 * node id, the key must be P-256, and the requested SANs may only be DNS names, IP addresses and this node's own
 * SAN URI. The issued certificate's extensions are the CA's own choice ({@link ClusterCa#signNode}); other
 * extensions a CSR asks for are never copied.
 */
public final class CertificateSigningRequests {

    public static final String CSR_FILE = "node-csr.pem";

    /** What {@link #create} wrote. The key stays where it is: this record only says where. */
    public record CsrFiles(Path csr, Path key, String nodeId, List<String> hosts) {
    }

    /** What {@link #sign} wrote: the certificate and, when it was missing, a copy of the CA certificate. */
    public record SignedCertificate(Path certificate, Path caCertificate, CertificateReport report) {
    }

    /** What a verified CSR asks for. */
    public record VerifiedRequest(String nodeId, List<String> hosts, PublicKey publicKey) {
    }

    private CertificateSigningRequests() {
    }

    /** {@code steep-repl tls create-csr}: {@code node-key.pem} (0600) and {@code node-csr.pem} (0644). */
    public static CsrFiles create(String nodeId, List<String> hosts, Path outDir, boolean force) {
        NodeIdentity.requireValid(nodeId);
        List<NodeHosts.Host> parsed = NodeHosts.parse(hosts);
        Path key = outDir.resolve(NodeCertificateIssuer.KEY_FILE);
        Path csrFile = outDir.resolve(CSR_FILE);
        if (!force && (Files.exists(key) || Files.exists(csrFile))) {
            throw new CertsException(Reason.ALREADY_EXISTS, outDir + " already holds " + NodeCertificateIssuer.KEY_FILE
                    + " or " + CSR_FILE + "; replacing the key would orphan a certificate issued for it. "
                    + "Choose another --out or pass --force");
        }
        KeyPair keys = EcKeys.generateP256();
        List<GeneralName> sans = new ArrayList<>();
        sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, NodeIdentity.uriOf(nodeId)));
        parsed.forEach(h -> sans.add(h.generalName()));
        PKCS10CertificationRequest csr;
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
            csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, nodeId).build(), keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(EcKeys.SIGNATURE_ALGORITHM).build(keys.getPrivate()));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build the CSR", e);
        }
        PemFiles.createPrivateDirectories(outDir);
        PemFiles.writePrivateKey(key, keys.getPrivate());
        PemFiles.writeCsr(csrFile, csr);
        return new CsrFiles(csrFile, key, nodeId, parsed.stream().map(NodeHosts.Host::value).toList());
    }

    /**
     * {@code steep-repl tls sign-csr}: verifies {@code csrFile}, signs it with the CA of {@code caDir} and writes
     * the certificate to {@code outFile} (0644), plus {@code ca-cert.pem} beside it when none is there yet.
     */
    public static SignedCertificate sign(Path csrFile, Path caDir, Path outFile, int days, boolean force, Clock clock) {
        ClusterCa.requireDays(days);
        if (!force && Files.exists(outFile)) {
            throw new CertsException(Reason.ALREADY_EXISTS, outFile + " already exists; choose another --out or pass --force");
        }
        VerifiedRequest request = verify(csrFile);
        ClusterCa ca = ClusterCa.load(caDir);
        X509Certificate certificate = ca.signNode(request.publicKey(), request.nodeId(), request.hosts(), days, clock);
        PemFiles.writeCertificate(outFile, certificate);
        Path caCopy = outFile.toAbsolutePath().getParent().resolve(ClusterCa.CERT_FILE);
        if (!Files.exists(caCopy)) {
            PemFiles.writeCertificate(caCopy, ca.certificate());
        }
        return new SignedCertificate(outFile, caCopy,
                CertificateReport.describe(outFile, certificate, CertificateReport.caNextTo(outFile), clock));
    }

    /** Reads a CSR and checks everything the signer relies on; throws {@link CertsException} with the reason. */
    public static VerifiedRequest verify(Path csrFile) {
        PKCS10CertificationRequest csr = PemFiles.readCsr(csrFile);
        try {
            boolean valid = csr.isSignatureValid(
                    new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()));
            if (!valid) {
                throw signatureInvalid(csrFile, null);
            }
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            if (e instanceof CertsException ce) {
                throw ce;
            }
            throw signatureInvalid(csrFile, e);
        }
        String nodeId = commonName(csrFile, csr.getSubject());
        if (!NodeIdentity.isValid(nodeId)) {
            throw new CertsException(Reason.INVALID_ARGUMENT, csrFile + ": CN '" + nodeId + "' is not a valid node id "
                    + "(1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        PublicKey publicKey = p256Key(csrFile, csr.getSubjectPublicKeyInfo());
        return new VerifiedRequest(nodeId, requestedHosts(csrFile, csr, nodeId), publicKey);
    }

    private static CertsException signatureInvalid(Path csrFile, Exception cause) {
        return new CertsException(Reason.VERIFICATION_FAILED, csrFile + ": CSR signature invalid: the request was "
                + "altered after it was signed or was not signed with its own key; create a new one with "
                + "`steep-repl tls create-csr` on the node", cause);
    }

    private static String commonName(Path csrFile, X500Name subject) {
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued()) {
            throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR subject must have exactly one CN, the "
                    + "node id (it has " + cns.length + ")");
        }
        return IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    private static PublicKey p256Key(Path csrFile, SubjectPublicKeyInfo info) {
        ASN1Encodable params = info.getAlgorithm().getParameters();
        boolean p256 = X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())
                && params instanceof ASN1ObjectIdentifier curve && X9ObjectIdentifiers.prime256v1.equals(curve);
        if (!p256) {
            throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR key must be ECDSA P-256 (create the "
                    + "request with `steep-repl tls create-csr`, or `openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256`)");
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR public key cannot be decoded", e);
        }
    }

    /** The DNS/IP SANs the CSR asks for; refuses any other kind, or a SAN URI naming another node. */
    private static List<String> requestedHosts(Path csrFile, PKCS10CertificationRequest csr, String nodeId) {
        List<String> hosts = new ArrayList<>();
        for (Attribute attribute : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttributeValues()) {
                Extensions extensions = Extensions.getInstance(value);
                GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (names == null) {
                    continue;
                }
                for (GeneralName name : names.getNames()) {
                    switch (name.getTagNo()) {
                        case GeneralName.dNSName -> hosts.add(checkedHost(csrFile,
                                ASN1IA5String.getInstance(name.getName()).getString()));
                        case GeneralName.iPAddress -> hosts.add(ipText(csrFile,
                                ASN1OctetString.getInstance(name.getName()).getOctets()));
                        case GeneralName.uniformResourceIdentifier -> {
                            String uri = ASN1IA5String.getInstance(name.getName()).getString();
                            if (!uri.equals(NodeIdentity.URI_PREFIX + nodeId)) {
                                throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR asks for SAN URI '"
                                        + uri + "', which does not name node '" + nodeId + "'; steep-repl only issues "
                                        + NodeIdentity.URI_PREFIX + "<CN>");
                            }
                        }
                        default -> throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR asks for a SAN "
                                + "of type " + name.getTagNo() + "; steep-repl issues DNS names and IP addresses only");
                    }
                }
            }
        }
        return hosts;
    }

    private static String checkedHost(Path csrFile, String host) {
        try {
            NodeHosts.Host parsed = NodeHosts.parse(host);
            if (!(parsed instanceof NodeHosts.DnsName)) {
                throw new CertsException(Reason.INVALID_FILE, csrFile + ": DNS SAN '" + host + "' is an IP address");
            }
            return parsed.value();
        } catch (CertsException e) {
            throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR asks for " + e.getMessage(), e);
        }
    }

    private static String ipText(Path csrFile, byte[] octets) {
        if (octets.length != 4 && octets.length != 16) {
            throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR asks for a malformed IP SAN");
        }
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            throw new CertsException(Reason.INVALID_FILE, csrFile + ": the CSR asks for a malformed IP SAN", e);
        }
    }
}
