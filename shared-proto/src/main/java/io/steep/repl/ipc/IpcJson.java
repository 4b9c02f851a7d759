package io.steep.repl.ipc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration of the IPC protocol and the line codec on top of it. Daemon, tray and CLI all use
 * this mapper, so timestamps (ISO-8601 UTC strings) and unknown-field tolerance are the same on both ends.
 */
public final class IpcJson {

    /** Longest request/answer line, newline excluded. Longer lines get {@code INVALID_REQUEST} and a close. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    /**
     * Built when first asked for: binding records costs ~500 classes that a daemon answering its routine methods
     * never needs (those answers, the envelopes and events are trees, {@link AnswerTrees}, {@link JsonTrees}).
     */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // newer peers may add fields; an older reader must keep working
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // "{...} trailing" is one request plus garbage, not a request
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private IpcJson() {
    }

    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    /** Serialises one message as a {@code \n}-terminated UTF-8 line. */
    public static byte[] line(Object message) {
        // the protocol's own messages through hand-built trees (AnswerTrees), anything else through the mapper
        JsonNode tree = switch (message) {
            case IpcRequest r -> AnswerTrees.request(r);
            case IpcResponse r -> AnswerTrees.response(r);
            case IpcEvent e -> AnswerTrees.event(e);
            default -> mapper().valueToTree(message);
        };
        return JsonTrees.line(tree);
    }

    /**
     * A result as a tree: trees as they are, the results a daemon answers or pushes routinely built by hand
     * ({@link AnswerTrees#treeOrNull}), others by Jackson's data binding.
     */
    public static JsonNode tree(Object value) {
        JsonNode built = AnswerTrees.treeOrNull(value);
        return built != null ? built : mapper().valueToTree(value);
    }

    /** What a request line turned out to be. */
    public sealed interface Decoded permits Valid, Invalid {
    }

    public record Valid(IpcRequest request) implements Decoded {
    }

    /** Not a request; {@code id} is the request's id when it could be read (so the answer can carry it). */
    public record Invalid(String id, String message) implements Decoded {
    }

    /** Decodes one request line (without its newline). Never throws: bad input becomes {@link Invalid}. */
    public static Decoded decodeRequest(byte[] line) {
        JsonNode root;
        try {
            root = JsonTrees.read(line);
        } catch (Exception e) {
            return new Invalid(null, "request is not valid JSON: " + shortReason(e)
                    + " — send one JSON object per line: {\"id\":\"…\",\"method\":\"…\",\"params\":{…}}");
        }
        if (root == null || !root.isObject()) {
            return new Invalid(null, "request must be a JSON object {\"id\",\"method\",\"params\"}, got "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase()));
        }
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            return new Invalid(null, "request has no \"id\"; give every request a string id (e.g. a UUID) so its answer can be matched");
        }
        if (!id.isTextual() || id.asText().isEmpty()) {
            return new Invalid(null, "\"id\" must be a non-empty string, got " + id.getNodeType().name().toLowerCase());
        }
        String requestId = id.asText();
        JsonNode method = root.get("method");
        if (method == null || !method.isTextual() || method.asText().isBlank()) {
            return new Invalid(requestId, "request has no \"method\" string (e.g. \"status.get\")");
        }
        JsonNode params = root.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            return new Invalid(requestId, "\"params\" must be a JSON object (or omitted), got " + params.getNodeType().name().toLowerCase());
        }
        return new Valid(new IpcRequest(requestId, method.asText(), params));
    }

    /** What a line received by a client is. */
    public sealed interface Incoming permits Answer, Pushed, Unreadable {
    }

    public record Answer(IpcResponse response) implements Incoming {
    }

    public record Pushed(IpcEvent event) implements Incoming {
    }

    public record Unreadable(String reason) implements Incoming {
    }

    /** Decodes one line the daemon sent: an answer (has {@code id}) or a pushed event (has {@code event}). */
    public static Incoming decodeIncoming(byte[] line) {
        JsonNode root;
        try {
            root = JsonTrees.read(line);
        } catch (Exception e) {
            return new Unreadable("not JSON: " + shortReason(e));
        }
        if (root == null || !root.isObject()) {
            return new Unreadable("not a JSON object");
        }
        if (root.has("event") && !root.has("id")) {
            return new Pushed(new IpcEvent(root.path("event").asText(), root.get("data")));
        }
        if (!root.has("id")) {
            return new Unreadable("neither an answer (id) nor an event");
        }
        JsonNode id = root.get("id");
        JsonNode error = root.get("error");
        IpcError err = null;
        if (error != null && !error.isNull()) {
            err = new IpcError(error.path("code").asText("INTERNAL_ERROR"), error.path("message").asText(""));
        }
        JsonNode result = root.get("result");
        return new Answer(new IpcResponse(id.isNull() ? null : id.asText(),
                result == null || result.isNull() ? null : result, err));
    }

    private static String shortReason(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        m = m.replace('\n', ' ');
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            m += " (column " + j.getLocation().getColumnNr() + ")";
        }
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
