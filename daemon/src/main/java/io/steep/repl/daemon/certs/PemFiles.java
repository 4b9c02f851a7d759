package io.steep.repl.daemon.certs;

import io.steep.repl.daemon.certs.CertsException.Reason;
import io.steep.repl.daemon.fs.DurableFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files of a steep-repl cluster with the right permissions.
 *
 * <p>Writes are atomic (a temporary file in the same directory, fsync, rename) so a crash never leaves half a key
 * or a key without its certificate's predecessor. A private key's file is <em>created</em> owner-only (0600, or an
 * owner-only ACL on Windows) before a secret byte is written: a chmod after writing would leave a window in which
 * the key is readable by others. Certificates are public (0644); directories this class creates are 0700.
 */
public final class PemFiles {

    public static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> CERT_MODE = PosixFilePermissions.fromString("rw-r--r--");
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    /** Larger than any sane PEM file; protects against pointing the tool at a disk image. */
    private static final long MAX_PEM_BYTES = 1 << 20;

    private PemFiles() {
    }

    // ---------------------------------------------------------------------------------------------- writing

    public static void writePrivateKey(Path file, PrivateKey key) {
        byte[] der = key.getEncoded(); // PKCS#8 PrivateKeyInfo for JCA keys
        if (der == null || !"PKCS#8".equalsIgnoreCase(key.getFormat())) {
            throw new CertsException(Reason.INVALID_ARGUMENT, "private key cannot be encoded as PKCS#8");
        }
        byte[] pem = pem("PRIVATE KEY", der);
        try {
            writeAtomically(file, pem, true);
        } finally {
            Arrays.fill(der, (byte) 0);
            Arrays.fill(pem, (byte) 0);
        }
    }

    public static void writeCertificate(Path file, X509Certificate certificate) {
        try {
            writeAtomically(file, pem("CERTIFICATE", certificate.getEncoded()), false);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new CertsException(Reason.INVALID_ARGUMENT, "certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    public static void writeCsr(Path file, PKCS10CertificationRequest csr) {
        try {
            writeAtomically(file, pem("CERTIFICATE REQUEST", csr.getEncoded()), false);
        } catch (IOException e) {
            throw new CertsException(Reason.IO, "cannot encode the CSR: " + e.getMessage(), e);
        }
    }

    /** Text PEM armour (RFC 7468) of DER bytes, 64 columns, LF line ends. */
    public static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Creates {@code dir} and any missing parents with mode 0700 (owner-only ACL on Windows). Directories that
     * already exist are left as they are: they may be shared ones such as /etc, chosen by the admin.
     */
    public static void createPrivateDirectories(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        try {
            while (!missing.isEmpty()) {
                Path p = missing.pop();
                Files.createDirectory(p, ownerOnly(p, DIR_MODE, true));
                if (isPosix()) {
                    // umask may have removed owner bits; 0700 is never wider than what was asked for
                    Files.setPosixFilePermissions(p, DIR_MODE);
                }
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw new CertsException(Reason.IO, absolute + " exists and is not a directory");
            }
        } catch (IOException e) {
            throw ioFailure(absolute, "cannot create directory", e);
        }
        if (!Files.isDirectory(absolute)) {
            throw new CertsException(Reason.IO, absolute + " exists and is not a directory");
        }
    }

    private static void writeAtomically(Path target, byte[] content, boolean secret) {
        Path absolute = target.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        createPrivateDirectories(dir);
        if (Files.isDirectory(absolute)) {
            throw new CertsException(Reason.INVALID_ARGUMENT, absolute + " is a directory; name a file");
        }
        Path temp = dir.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Set<PosixFilePermission> mode = secret ? KEY_MODE : CERT_MODE;
        try {
            try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    secret || isPosix() ? ownerOnly(temp, mode, false) : new FileAttribute<?>[0])) {
                if (isPosix()) {
                    // the file is still empty here: setting the mode before the first secret byte is safe
                    Files.setPosixFilePermissions(temp, mode);
                }
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            DurableFiles.moveIntoPlace(temp, absolute);
        } catch (IOException e) {
            throw ioFailure(absolute, "cannot write", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: the temp file holds no more than the target would have
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path path, Set<PosixFilePermission> mode, boolean directory) {
        if (isPosix()) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("acl")) {
            try {
                UserPrincipal owner = FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name"));
                List<AclEntry> acl = ownerOnlyAcl(owner, directory);
                return new FileAttribute<?>[] {new FileAttribute<List<AclEntry>>() {
                    @Override
                    public String name() {
                        return "acl:acl";
                    }

                    @Override
                    public List<AclEntry> value() {
                        return acl;
                    }
                }};
            } catch (IOException e) {
                throw ioFailure(path, "cannot look up the current user to restrict", e);
            }
        }
        return new FileAttribute<?>[0];
    }

    /**
     * The ACL of a steep-repl private file or directory on Windows: one ALLOW entry giving its owner everything,
     * nothing inherited from the parent and nobody else listed. Directories pass the entry on to what they contain.
     */
    public static List<AclEntry> ownerOnlyAcl(UserPrincipal owner, boolean directory) {
        AclEntry.Builder entry = AclEntry.newBuilder()
                .setType(AclEntryType.ALLOW)
                .setPrincipal(owner)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class));
        if (directory) {
            entry.setFlags(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
        }
        return List.of(entry.build());
    }

    static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** All certificates of a PEM file, in order; at least one. */
    public static List<X509Certificate> readCertificates(Path file) {
        String text = readText(file);
        var plain = JdkPem.certificates(text);
        if (plain.isPresent()) {
            return plain.get();
        }
        List<Object> objects = readPemObjects(file, text, "a certificate");
        List<X509Certificate> out = new ArrayList<>();
        for (Object o : objects) {
            if (o instanceof X509CertificateHolder holder) {
                out.add(toJdk(file, holder));
            }
        }
        if (out.isEmpty()) {
            throw new CertsException(Reason.INVALID_FILE,
                    file + ": contains " + describe(objects.getFirst()) + ", not a certificate "
                            + "(expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).getFirst();
    }

    /**
     * The private key of a PEM file: PKCS#8 ({@code PRIVATE KEY}) or SEC1/PKCS#1 ({@code EC/RSA PRIVATE KEY}).
     * Password-protected keys are refused with a message: the daemon starts unattended, so its key is protected by
     * file permissions, not by a passphrase somebody would have to type.
     */
    public static PrivateKey readPrivateKey(Path file) {
        String text = readText(file);
        var plain = JdkPem.pkcs8PrivateKey(text);
        if (plain.isPresent()) {
            return plain.get();
        }
        List<Object> objects = readPemObjects(file, text, "a private key");
        Object o = objects.getFirst();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 may omit the public key
            }
        } catch (IOException | RuntimeException e) {
            throw new CertsException(Reason.INVALID_FILE,
                    file + ": the private key cannot be decoded (" + e.getMessage() + ")", e);
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
            throw new CertsException(Reason.INVALID_FILE, file + ": the private key is password-protected; steep-repl "
                    + "needs an unencrypted PKCS#8 key protected by file permissions (decrypt it with "
                    + "`openssl pkey -in " + file.getFileName() + " -out node-key.pem`, then chmod 600)");
        }
        throw new CertsException(Reason.INVALID_FILE,
                file + ": contains " + describe(o) + ", not a private key (expected -----BEGIN PRIVATE KEY-----)");
    }

    public static PKCS10CertificationRequest readCsr(Path file) {
        List<Object> objects = readPemObjects(file, readText(file), "a certificate signing request");
        Object o = objects.getFirst();
        if (o instanceof PKCS10CertificationRequest csr) {
            return csr;
        }
        throw new CertsException(Reason.INVALID_FILE, file + ": contains " + describe(o)
                + ", not a certificate signing request (expected -----BEGIN CERTIFICATE REQUEST-----)");
    }

    /** Reads a file's text with errors that name it and say what to do. */
    static String readText(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new CertsException(Reason.INVALID_ARGUMENT, file + ": is a directory, expected a PEM file");
            }
            if (Files.size(file) > MAX_PEM_BYTES) {
                throw new CertsException(Reason.INVALID_FILE, file + ": too large to be a PEM file");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new CertsException(Reason.NOT_FOUND, file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CertsException(Reason.IO, file + ": cannot read it (permission denied); run as the file's "
                    + "owner or fix its permissions", e);
        } catch (IOException e) {
            throw ioFailure(file, "cannot read", e);
        }
    }

    private static List<Object> readPemObjects(Path file, String text, String expected) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new CertsException(Reason.INVALID_FILE, file + ": malformed PEM data (" + e.getMessage() + ")", e);
        }
        if (objects.isEmpty()) {
            throw new CertsException(Reason.INVALID_FILE,
                    file + ": not a PEM file (no -----BEGIN ...----- block); expected " + expected);
        }
        return objects;
    }

    private static X509Certificate toJdk(Path file, X509CertificateHolder holder) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
        } catch (CertificateException | IOException e) {
            throw new CertsException(Reason.INVALID_FILE, file + ": certificate cannot be parsed (" + e.getMessage() + ")", e);
        }
    }

    private static String describe(Object pemObject) {
        return switch (pemObject) {
            case X509CertificateHolder h -> "a certificate";
            case PKCS10CertificationRequest r -> "a certificate signing request";
            case PrivateKeyInfo k -> "a private key";
            case PEMKeyPair k -> "a private key";
            case PKCS8EncryptedPrivateKeyInfo k -> "an encrypted private key";
            case PEMEncryptedKeyPair k -> "an encrypted private key";
            case org.bouncycastle.asn1.x509.SubjectPublicKeyInfo k -> "a public key";
            default -> "a PEM block of another type";
        };
    }

    private static CertsException ioFailure(Path file, String what, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new CertsException(Reason.IO, what + " " + file + ": permission denied", e);
        }
        return new CertsException(Reason.IO, what + " " + file + ": " + e, e);
    }
}
