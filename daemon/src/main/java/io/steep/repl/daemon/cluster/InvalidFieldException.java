package io.steep.repl.daemon.cluster;

/** A request or config value that is out of range; {@link #field()} names it so the caller knows what to fix. */
public final class InvalidFieldException extends IllegalArgumentException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
