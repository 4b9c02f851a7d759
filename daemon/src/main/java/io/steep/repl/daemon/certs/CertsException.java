package io.steep.repl.daemon.certs;

/**
 * A certificate operation that cannot go on, with a message written for the person who ran it: what is wrong,
 * which file, and what to do. The {@link Reason} lets the IPC layer map it to an error code without parsing text.
 */
public final class CertsException extends RuntimeException {

    /** Closed set of failure kinds, stable for IPC error mapping. */
    public enum Reason {
        /** An argument is malformed (node id, host, days, CN). */
        INVALID_ARGUMENT,
        /** A file or directory the operation needs does not exist. */
        NOT_FOUND,
        /** The operation would overwrite existing material and was not forced. */
        ALREADY_EXISTS,
        /** A file exists but its content is not what it should be (not PEM, wrong type, encrypted key...). */
        INVALID_FILE,
        /** Cryptographic verification failed (CSR signature, key/cert mismatch, chain, validity). */
        VERIFICATION_FAILED,
        /** The file system refused (permission denied, disk full...). */
        IO
    }

    private final Reason reason;

    public CertsException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CertsException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
