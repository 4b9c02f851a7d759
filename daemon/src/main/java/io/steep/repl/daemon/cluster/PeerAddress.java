package io.steep.repl.daemon.cluster;

/** Where a peer's gRPC server listens: {@code host:port}, IPv6 literals as {@code [::1]:port}. */
public record PeerAddress(String host, int port) {

    public PeerAddress {
        NodeFields.requireHost("host", host);
        NodeFields.requirePort("port", port);
    }

    /** Parses {@code HOST:PORT}; {@code field} names the setting or argument in the error. */
    public static PeerAddress parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidFieldException(field, "is empty: expected HOST:PORT, e.g. node-b.example.com:5433");
        }
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new InvalidFieldException(field, "'" + NodeFields.printable(s) + "' is not [IPv6]:PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new InvalidFieldException(field, "'" + NodeFields.printable(s)
                        + "' is not HOST:PORT (write IPv6 addresses as [addr]:port)");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new InvalidFieldException(field, "port '" + NodeFields.printable(port) + "' is not a number");
        }
        try {
            return new PeerAddress(host, p);
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(field, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
