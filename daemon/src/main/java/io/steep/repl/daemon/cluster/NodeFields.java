package io.steep.repl.daemon.cluster;

import io.steep.repl.daemon.certs.NodeIdentity;
import java.util.regex.Pattern;

/**
 * Validation of the node fields that arrive from peers, the CLI and config. Every failure is an
 * {@link InvalidFieldException} naming the field; the ranges are the extension's CHECK constraints, checked here
 * first so a peer gets {@code INVALID_ARGUMENT} with the field named rather than a PostgreSQL error.
 */
public final class NodeFields {

    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 100;
    public static final int DEFAULT_PRIORITY = 50;
    public static final int MAX_NAME_LENGTH = 255;

    /** Host names (RFC 1123 labels), IPv4 literals and IPv6 literals (hex digits, ':' and '.'). */
    private static final Pattern HOST_NAME = Pattern.compile(
            "^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

    private NodeFields() {
    }

    public static String requireNodeId(String field, String nodeId) {
        if (!NodeIdentity.isValid(nodeId)) {
            throw new InvalidFieldException(field, "'" + printable(nodeId) + "' is not a valid node id: use 1 to 63 "
                    + "letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return nodeId;
    }

    public static String requireName(String field, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidFieldException(field, "must be 1 to " + MAX_NAME_LENGTH + " printable characters");
        }
        return name.strip();
    }

    public static String requireHost(String field, String host) {
        if (host == null || host.isBlank()) {
            throw new InvalidFieldException(field, "must not be empty: give a host name or IP address peers can reach");
        }
        if (!HOST_NAME.matcher(host).matches() && !(host.contains(":") && IPV6.matcher(host).matches())) {
            throw new InvalidFieldException(field, "'" + printable(host) + "' is not a host name or IP address");
        }
        return host;
    }

    public static int requirePort(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidFieldException(field, "must be between 1 and 65535 (got " + port + ")");
        }
        return port;
    }

    public static int requirePriority(String field, int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new InvalidFieldException(field, "must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY
                    + " (got " + priority + "); higher wins the coordinator election");
        }
        return priority;
    }

    /** Truncated and stripped of control characters, so a hostile value cannot forge log lines. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }
}
