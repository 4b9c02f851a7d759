package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Parameter readers the admin methods add to {@link Params}: booleans and file-system paths. Paths must be
 * absolute: the daemon's working directory is not the caller's, so a relative path would silently land elsewhere.
 */
final class AdminParams {

    private AdminParams() {
    }

    /** An optional boolean; absent or null give {@code false}. Strings like "true" are refused, not guessed. */
    static boolean flag(JsonNode params, String field) throws IpcException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw Params.invalid("params." + field + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    /** An optional boolean that is absent when not given (so the method can choose a default). */
    static Optional<Boolean> optionalFlag(JsonNode params, String field) throws IpcException {
        JsonNode v = params.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(flag(params, field));
    }

    /** An optional non-empty string. */
    static Optional<String> optionalString(JsonNode params, String field) throws IpcException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return Optional.of(Params.requiredString(params, field));
    }

    /** An optional absolute path. */
    static Optional<Path> optionalPath(JsonNode params, String field) throws IpcException {
        Optional<String> text = optionalString(params, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(absolute(field, text.get()));
    }

    static Path requiredPath(JsonNode params, String field) throws IpcException {
        return absolute(field, Params.requiredString(params, field));
    }

    private static Path absolute(String field, String text) throws IpcException {
        if (text.indexOf('\0') >= 0) {
            throw Params.invalid("params." + field + " contains a NUL character");
        }
        Path p;
        try {
            p = Path.of(text);
        } catch (InvalidPathException e) {
            throw Params.invalid("params." + field + " \"" + text + "\" is not a valid path: " + e.getReason());
        }
        if (!p.isAbsolute()) {
            throw Params.invalid("params." + field + " must be an absolute path (the daemon does not share your working"
                    + " directory), got \"" + text + "\"");
        }
        return p.normalize();
    }
}
