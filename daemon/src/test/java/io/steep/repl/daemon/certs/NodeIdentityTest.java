package io.steep.repl.daemon.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdentityTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "node-a", "Node_1.eu-west", "9", "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsValidIds(String id) {
        assertThat(NodeIdentity.isValid(id)).isTrue();
        assertThat(NodeIdentity.requireValid(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-a", ".a", "_a", "node a", "node/a", "nöde", "a:b",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void refusesInvalidIdsWithAClearMessage(String id) {
        assertThat(NodeIdentity.isValid(id)).isFalse();
        assertThatThrownBy(() -> NodeIdentity.requireValid(id))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("is not a valid identifier")
                .hasMessageContaining("letters, digits");
        assertThat(NodeIdentity.isValid(null)).isFalse();
    }

    @Test
    void issuedCertificateNamesItsNodeThroughTheSanUri() {
        ClusterCa ca = ClusterCa.generate("ca", 10, Clock.systemUTC());
        X509Certificate cert = ca.signNode(EcKeys.generateP256().getPublic(), "node-a", List.of("db1"), 1, Clock.systemUTC());
        assertThat(NodeIdentity.of(cert)).contains("node-a");
        assertThat(NodeIdentity.uriOf("node-a")).isEqualTo("spiffe://steep-repl/node/node-a");
    }

    @Test
    void sanUriWinsOverCommonName() throws Exception {
        assertThat(NodeIdentity.of(cert("node-cn", "spiffe://steep-repl/node/node-uri"))).contains("node-uri");
    }

    @Test
    void fallsBackToCommonNameWithoutNodeUri() throws Exception {
        assertThat(NodeIdentity.of(cert("node-cn"))).contains("node-cn");
        assertThat(NodeIdentity.of(cert("node-cn", "https://example.com/other"))).contains("node-cn");
    }

    @Test
    void noIdentityWhenAmbiguousOrInvalid() throws Exception {
        assertThat(NodeIdentity.of(cert("node-cn", "spiffe://steep-repl/node/a", "spiffe://steep-repl/node/b"))).isEmpty();
        assertThat(NodeIdentity.of(cert("node-cn", "spiffe://steep-repl/node/bad id"))).isEmpty();
        assertThat(NodeIdentity.of(cert("not a node id"))).isEmpty();
    }

    /** A certificate with any CN and SAN URIs, built outside the certs package's rules. */
    static X509Certificate cert(String cn, String... uris) throws Exception {
        KeyPair keys = EcKeys.generateP256();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name subject = new X500Name("CN=" + cn);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.TEN, Date.from(now),
                Date.from(now.plusSeconds(3600)), subject, keys.getPublic());
        if (uris.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(Arrays.stream(uris)
                    .map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u)).toArray(GeneralName[]::new)));
        }
        byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
