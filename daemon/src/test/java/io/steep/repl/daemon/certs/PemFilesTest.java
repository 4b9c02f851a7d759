package io.steep.repl.daemon.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

    @TempDir
    Path tmp;


    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX file modes; Windows gets owner-only ACLs instead (ownerOnlyAclHasOneAllowEntryForTheOwner)")
    void keyIs0600CertIs0644AndCreatedDirectoriesAre0700() throws Exception {
        Path dir = tmp.resolve("a/b/c");
        KeyPair keys = EcKeys.generateP256();
        PemFiles.writePrivateKey(dir.resolve("k.pem"), keys.getPrivate());
        ClusterCa ca = ClusterCa.generate("ca", 1, Clock.systemUTC());
        PemFiles.writeCertificate(dir.resolve("c.pem"), ca.certificate());

        assertThat(JdkView.mode(dir.resolve("k.pem"))).isEqualTo("rw-------");
        assertThat(JdkView.mode(dir.resolve("c.pem"))).isEqualTo("rw-r--r--");
        assertThat(JdkView.mode(tmp.resolve("a"))).isEqualTo("rwx------");
        assertThat(JdkView.mode(tmp.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(JdkView.mode(dir)).isEqualTo("rwx------");
        // no temporary file left behind by the atomic write
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("k.pem", "c.pem");
        }
        assertThat(JdkView.pkcs8Key(dir.resolve("k.pem")).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThat(JdkView.certificate(dir.resolve("c.pem"))).isEqualTo(ca.certificate());
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX file modes; Windows gets owner-only ACLs instead (ownerOnlyAclHasOneAllowEntryForTheOwner)")
    void existingDirectoriesKeepTheirMode() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        PemFiles.writePrivateKey(shared.resolve("k.pem"), EcKeys.generateP256().getPrivate());
        assertThat(JdkView.mode(shared)).isEqualTo("rwxr-xr-x");
        assertThat(JdkView.mode(shared.resolve("k.pem"))).isEqualTo("rw-------");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX file modes; Windows gets owner-only ACLs instead (ownerOnlyAclHasOneAllowEntryForTheOwner)")
    void replacingAKeyKeepsOwnerOnlyModeEvenIfTheOldFileWasWider() throws Exception {
        Path key = tmp.resolve("k.pem");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        PrivateKey fresh = EcKeys.generateP256().getPrivate();
        PemFiles.writePrivateKey(key, fresh);
        assertThat(JdkView.mode(key)).isEqualTo("rw-------");
        assertThat(PemFiles.readPrivateKey(key).getEncoded()).isEqualTo(fresh.getEncoded());
    }

    @Test
    void ownerOnlyAclHasOneAllowEntryForTheOwner() {
        UserPrincipal owner = () -> "HOST\\steep";
        List<AclEntry> file = PemFiles.ownerOnlyAcl(owner, false);
        assertThat(file).hasSize(1);
        assertThat(file.getFirst().type()).isEqualTo(AclEntryType.ALLOW);
        assertThat(file.getFirst().principal()).isSameAs(owner);
        assertThat(file.getFirst().permissions()).contains(AclEntryPermission.READ_DATA, AclEntryPermission.WRITE_DATA,
                AclEntryPermission.WRITE_ACL);
        assertThat(file.getFirst().flags()).isEmpty();
        List<AclEntry> dir = PemFiles.ownerOnlyAcl(owner, true);
        assertThat(dir.getFirst().flags()).containsExactlyInAnyOrder(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
    }

    @Test
    void readsSec1EcKeysToo() throws Exception {
        KeyPair keys = EcKeys.generateP256();
        // "EC PRIVATE KEY" with the named curve, as `openssl ecparam -genkey` writes it
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
        byte[] der = new ECPrivateKey(256, sec1.getKey(), info.getPrivateKeyAlgorithm().getParameters().toASN1Primitive())
                .getEncoded();
        Path file = Files.write(tmp.resolve("sec1.pem"), PemFiles.pem("EC PRIVATE KEY", der));
        assertThat(EcKeys.matches(PemFiles.readPrivateKey(file), keys.getPublic())).isTrue();
    }

    @Test
    void errorsNameTheFileAndSayWhatIsWrong() throws Exception {
        Path missing = tmp.resolve("missing.pem");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(missing))
                .isInstanceOf(CertsException.class).hasMessage(missing + ": no such file");

        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello, not a key\n");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(text))
                .hasMessageContaining(text.toString()).hasMessageContaining("not a PEM file");
        Path binary = Files.write(tmp.resolve("key.der"), EcKeys.generateP256().getPrivate().getEncoded());
        assertThatThrownBy(() -> PemFiles.readCertificate(binary)).hasMessageContaining("not a PEM file");

        Path broken = Files.writeString(tmp.resolve("broken.pem"),
                "-----BEGIN PRIVATE KEY-----\n!!!!not base64!!!!\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(broken))
                .isInstanceOf(CertsException.class).hasMessageContaining(broken.toString());

        X509Certificate cert = ClusterCa.generate("ca", 1, Clock.systemUTC()).certificate();
        Path certFile = tmp.resolve("cert.pem");
        PemFiles.writeCertificate(certFile, cert);
        assertThatThrownBy(() -> PemFiles.readPrivateKey(certFile))
                .hasMessageContaining("contains a certificate, not a private key");
        Path keyFile = tmp.resolve("key.pem");
        PemFiles.writePrivateKey(keyFile, EcKeys.generateP256().getPrivate());
        assertThatThrownBy(() -> PemFiles.readCertificate(keyFile))
                .hasMessageContaining("contains a private key, not a certificate");
        assertThatThrownBy(() -> PemFiles.readCsr(keyFile))
                .hasMessageContaining("not a certificate signing request");
        assertThatThrownBy(() -> PemFiles.readCertificate(tmp))
                .hasMessageContaining("is a directory");
    }

    @Test
    void passwordProtectedKeysAreRefusedWithHowToDecrypt() throws Exception {
        KeyPair keys = EcKeys.generateP256();
        StringWriter pkcs8 = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pkcs8)) {
            w.writeObject(new JcaPKCS8Generator(keys.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider()).setPassword("pw".toCharArray()).build()));
        }
        Path encrypted = Files.writeString(tmp.resolve("enc.pem"), pkcs8.toString());
        assertThatThrownBy(() -> PemFiles.readPrivateKey(encrypted))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("password-protected").hasMessageContaining("openssl pkey");

        StringWriter legacy = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(legacy)) {
            w.writeObject(keys, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider()).build("pw".toCharArray()));
        }
        Path legacyFile = Files.writeString(tmp.resolve("legacy.pem"), legacy.toString());
        assertThatThrownBy(() -> PemFiles.readPrivateKey(legacyFile)).hasMessageContaining("password-protected");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX file modes; Windows gets owner-only ACLs instead (ownerOnlyAclHasOneAllowEntryForTheOwner)")
    void unreadableKeyIsReportedAsPermissionDenied() throws Exception {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root reads any file");
        Path key = tmp.resolve("k.pem");
        PemFiles.writePrivateKey(key, EcKeys.generateP256().getPrivate());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> PemFiles.readPrivateKey(key)).hasMessageContaining("permission denied");
    }
}
