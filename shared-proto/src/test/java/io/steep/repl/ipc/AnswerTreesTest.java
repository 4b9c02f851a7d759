package io.steep.repl.ipc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.StatusResult;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnswerTrees} writes the envelope and {@code status.get} by hand; these tests hold it byte for byte to what
 * Jackson writes from the annotated records (the tray reads them back with those annotations). The records' values
 * are made by reflection over their components, so a field added to a record and not to {@code AnswerTrees} fails
 * here without anyone having to remember this test.
 */
class AnswerTreesTest {

    private static final ObjectMapper JACKSON = IpcJson.mapper();

    /** Every component set: strings named after the component, numbers, true, an instant with nanoseconds. */
    private static Object filled(Class<?> type, String name) throws Exception {
        if (type == String.class) {
            return "v-" + name;
        }
        if (type == int.class || type == Integer.class) {
            return 7;
        }
        if (type == long.class || type == Long.class) {
            return 9_000_000_000L;
        }
        if (type == boolean.class || type == Boolean.class) {
            return true;
        }
        if (type == Instant.class) {
            return Instant.parse("2025-12-04T10:00:00.123456789Z");
        }
        if (type.isRecord()) {
            return record(type, AnswerTreesTest::filled);
        }
        throw new AssertionError("no test value for " + type + " (" + name + "): add one here and in AnswerTrees");
    }

    /** Every component that can be null null, primitives at their zero. */
    private static Object empty(Class<?> type, String name) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == boolean.class) {
            return false;
        }
        return null;
    }

    interface Values {
        Object value(Class<?> type, String name) throws Exception;
    }

    private static Object record(Class<?> type, Values values) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = values.value(components[i].getType(), components[i].getName());
        }
        Constructor<?> canonical = type.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        return canonical.newInstance(args);
    }

    /** Top level filled, each nested record empty: the omitted-when-null fields of the nested ones. */
    private static StatusResult nestedEmpty() throws Exception {
        return (StatusResult) record(StatusResult.class, (type, name) -> type.isRecord()
                ? record(type, (t, n) -> empty(t, n)) : filled(type, name));
    }

    private static void assertWrittenAsJacksonWould(StatusResult s) throws Exception {
        String ours = JACKSON.writeValueAsString(AnswerTrees.status(s));
        assertThat(ours).as("status.get for %s", s).isEqualTo(JACKSON.writeValueAsString(s));
        assertThat(JACKSON.writeValueAsString(IpcJson.tree(s))).isEqualTo(ours);
    }

    @Test
    void statusIsWrittenAsJacksonWritesTheRecord() throws Exception {
        StatusResult full = (StatusResult) record(StatusResult.class, AnswerTreesTest::filled);
        assertWrittenAsJacksonWould(full);
        assertThat(JACKSON.writeValueAsString(AnswerTrees.status(full)))
                .contains("\"cert_not_after\":\"2025-12-04T10:00:00.123456789Z\"", "\"uptime_seconds\":9000000000");

        assertWrittenAsJacksonWould((StatusResult) record(StatusResult.class, (t, n) -> empty(t, n)));
        assertWrittenAsJacksonWould(nestedEmpty());
        // what a daemon without TLS and without a PostgreSQL version says, and a whole-second start time
        assertWrittenAsJacksonWould(new StatusResult("running", 4242, 0, Instant.parse("2025-12-04T10:00:00Z"), "0.1.0",
                new StatusResult.PostgresqlInfo(false, null, "127.0.0.1", 5432),
                new StatusResult.GrpcInfo(true, 5433, false),
                new StatusResult.LocalNodeInfo("node-a", null, true, 1)));
    }

    @Test
    void answersAreWrittenAsJacksonWritesTheEnvelope() throws Exception {
        IpcResponse[] answers = {
                IpcResponse.success("a1", JsonNodeFactory.instance.objectNode().put("ok", true)),
                IpcResponse.success("a2", JsonNodeFactory.instance.objectNode()),
                IpcResponse.failure("a3", IpcErrorCode.METHOD_NOT_FOUND, "unknown method \"x\" — ünïcode"),
                IpcResponse.failure(null, IpcErrorCode.INVALID_REQUEST, "not valid JSON"),
                new IpcResponse("a4", null, null),
        };
        for (IpcResponse r : answers) {
            String jackson = JACKSON.writeValueAsString(r) + "\n";
            assertThat(new String(IpcJson.line(r), StandardCharsets.UTF_8)).as("answer %s", r).isEqualTo(jackson);
        }
        assertThat(new String(IpcJson.line(answers[3]), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":null,\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"not valid JSON\"}}\n");
    }

    @Test
    void otherResultsStillGoThroughJackson() throws Exception {
        HealthResult h = new HealthResult("healthy",
                Map.of("ipc", new HealthResult.ComponentHealth(true, "listening", null, null)));
        assertThat(IpcJson.tree(h)).isEqualTo(JACKSON.valueToTree(h));
        assertThat(AnswerTrees.treeOrNull(h)).isNull();
    }
}
