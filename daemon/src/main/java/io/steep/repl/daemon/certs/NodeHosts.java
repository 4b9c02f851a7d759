package io.steep.repl.daemon.certs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.util.IPAddress;

/**
 * The host names and addresses a node certificate may carry as DNS/IP SANs. Pure parsing: never resolves a name
 * (a certificate tool must not depend on, or leak to, DNS).
 */
public final class NodeHosts {

    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private NodeHosts() {
    }

    /** A host as it goes into a SAN: an IP literal, or a DNS name in lower case. */
    public sealed interface Host {
        String value();

        GeneralName generalName();
    }

    public record DnsName(String value) implements Host {
        @Override
        public GeneralName generalName() {
            return new GeneralName(GeneralName.dNSName, value);
        }
    }

    public record IpAddress(String value) implements Host {
        @Override
        public GeneralName generalName() {
            return new GeneralName(GeneralName.iPAddress, value);
        }
    }

    /** Parses and de-duplicates hosts, keeping their order; throws on the first one that is neither IP nor DNS. */
    public static List<Host> parse(List<String> hosts) {
        LinkedHashSet<Host> out = new LinkedHashSet<>();
        for (String h : hosts == null ? List.<String>of() : hosts) {
            out.add(parse(h));
        }
        return new ArrayList<>(out);
    }

    public static Host parse(String raw) {
        String host = raw == null ? "" : raw.strip();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (IPAddress.isValidIPv4(host) || IPAddress.isValidIPv6(host)) {
            return new IpAddress(canonicalIp(host));
        }
        String dns = host.toLowerCase(Locale.ROOT);
        if (dns.endsWith(".")) {
            dns = dns.substring(0, dns.length() - 1);
        }
        if (!dns.isEmpty() && dns.length() <= 253 && allLabelsValid(dns)) {
            return new DnsName(dns);
        }
        throw new CertsException(CertsException.Reason.INVALID_ARGUMENT,
                "host '" + (raw == null ? "" : raw) + "' is neither an IP address nor a DNS name (letters, digits and "
                        + "'-' in dot-separated labels; no wildcards), e.g. --host db1.example.com --host 10.0.0.5");
    }

    private static boolean allLabelsValid(String dns) {
        String[] labels = dns.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // an all-numeric last label is a mistyped IP address, never a real name (RFC 3696 section 2)
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    private static String canonicalIp(String literal) {
        try {
            // a literal: getByName parses it without any lookup
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
