package io.steep.repl.daemon.certs;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The identity rule of steep-repl certificates: which node a certificate speaks for.
 *
 * <p>A node certificate names its node twice: a SAN URI {@code spiffe://steep-repl/node/<id>} and the subject CN.
 * The SAN URI wins because SANs are the field TLS stacks are built to check and a CN is free text; the CN is the
 * fallback for certificates made by other tools. A certificate naming two different nodes in its SAN URIs has no
 * identity at all: refusing is safer than guessing.
 */
public final class NodeIdentity {

    /** Letters, digits, '.', '_' and '-'; starts with a letter or digit; at most 63 characters (a DNS label). */
    public static final Pattern NODE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");

    public static final String URI_PREFIX = "spiffe://steep-repl/node/";

    private static final int SAN_URI = 6;

    private NodeIdentity() {
    }

    public static boolean isValid(String nodeId) {
        return nodeId != null && NODE_ID.matcher(nodeId).matches();
    }

    /** Returns the node id unchanged, or throws a message that says what a node id may contain. */
    public static String requireValid(String nodeId) {
        if (!isValid(nodeId)) {
            throw new CertsException(CertsException.Reason.INVALID_ARGUMENT,
                    "node id '" + (nodeId == null ? "" : nodeId) + "' is not a valid identifier: use 1 to 63 letters, "
                            + "digits, '.', '_' or '-', starting with a letter or digit (e.g. node-a)");
        }
        return nodeId;
    }

    /** The SAN URI that names {@code nodeId}. */
    public static String uriOf(String nodeId) {
        return URI_PREFIX + requireValid(nodeId);
    }

    /**
     * The node a peer certificate speaks for: the id in its {@code spiffe://steep-repl/node/<id>} SAN URI, else a
     * valid node id in its subject CN; empty when it names none, or names two different nodes.
     */
    public static Optional<String> of(X509Certificate certificate) {
        List<String> uris = sanUris(certificate);
        if (uris == null) {
            return Optional.empty(); // a SAN we cannot read may name someone else: never fall back to the CN
        }
        Set<String> fromUris = new LinkedHashSet<>();
        for (String uri : uris) {
            if (uri.startsWith(URI_PREFIX)) {
                String id = uri.substring(URI_PREFIX.length());
                if (!isValid(id)) {
                    return Optional.empty();
                }
                fromUris.add(id);
            }
        }
        if (fromUris.size() > 1) {
            return Optional.empty();
        }
        if (fromUris.size() == 1) {
            return Optional.of(fromUris.iterator().next());
        }
        return commonName(certificate).filter(NodeIdentity::isValid);
    }

    /** The subject's CN (the last one, the most specific, if there are several). */
    public static Optional<String> commonName(X509Certificate certificate) {
        try {
            List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            // LdapName lists RDNs from the right (least specific) to the left
            String cn = null;
            for (Rdn rdn : rdns) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
            return Optional.ofNullable(cn);
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    /** The SAN URIs, or null when the SAN extension is present but cannot be parsed. */
    private static List<String> sanUris(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream()
                    .filter(n -> n.size() >= 2 && Integer.valueOf(SAN_URI).equals(n.get(0)))
                    .map(n -> String.valueOf(n.get(1)))
                    .toList();
        } catch (CertificateParsingException e) {
            return null;
        }
    }
}
