package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.IpcErrorCode;
import io.steep.repl.ipc.IpcException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reads request params with errors that name the field, what came and what is expected. */
final class Params {

    private Params() {
    }

    static String requiredString(JsonNode params, String field) throws IpcException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            throw invalid("params." + field + " is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw invalid("params." + field + " must be a non-empty string, got " + describe(v));
        }
        return v.asText();
    }

    /** An optional integer; absent, null or 0 give {@code dflt} (Go's zero value means "not set" upstream). */
    static int optionalInt(JsonNode params, String field, int dflt, int min, int max) throws IpcException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw invalid("params." + field + " must be an integer between " + min + " and " + max + ", got " + describe(v));
        }
        int i = v.intValue();
        if (i == 0 && min > 0) {
            return dflt;
        }
        if (i < min || i > max) {
            throw invalid("params." + field + " must be between " + min + " and " + max + ", got " + i);
        }
        return i;
    }

    /** An optional array of strings; absent or null give an empty list. */
    static List<String> stringList(JsonNode params, String field) throws IpcException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw invalid("params." + field + " must be an array of strings, e.g. [\"a\",\"b\"], got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw invalid("params." + field + " must contain only strings, found " + describe(e));
            }
            out.add(e.asText());
        }
        return out;
    }

    static Instant optionalInstant(JsonNode params, String field) throws IpcException {
        JsonNode v = params.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid("params." + field + " must be an RFC 3339 timestamp string such as 2025-12-04T00:00:00Z, got " + describe(v));
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("params." + field + " \"" + v.asText() + "\" is not an RFC 3339 timestamp; use e.g. 2025-12-04T00:00:00Z");
        }
    }

    static IpcException invalid(String message) {
        return new IpcException(IpcErrorCode.INVALID_PARAMS, message);
    }

    private static String describe(JsonNode v) {
        String s = v.toString();
        return v.getNodeType().name().toLowerCase() + " " + (s.length() > 60 ? s.substring(0, 60) + "…" : s);
    }
}
