package io.steep.repl.ipc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.steep.repl.ipc.message.AuditEntry;
import io.steep.repl.ipc.message.AuditQueryResult;
import io.steep.repl.ipc.message.EventsSubscribeResult;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.NodeInfo;
import io.steep.repl.ipc.message.NodesGetResult;
import io.steep.repl.ipc.message.NodesListResult;
import io.steep.repl.ipc.message.StatusResult;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
            RecordComponent c = components[i];
            if (c.getType() == List.class && c.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] instanceof Class<?> element) {
                Object one = values.value(element, c.getName()); // a list of one, or no list when it is null
                args[i] = one == null ? null : List.of(one);
            } else {
                args[i] = values.value(c.getType(), c.getName());
            }
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
    void healthIsWrittenAsJacksonWritesTheRecord() throws Exception {
        HealthResult.ComponentHealth full = (HealthResult.ComponentHealth) record(HealthResult.ComponentHealth.class,
                AnswerTreesTest::filled);
        HealthResult.ComponentHealth empty = (HealthResult.ComponentHealth) record(HealthResult.ComponentHealth.class,
                (t, n) -> empty(t, n));
        Map<String, HealthResult.ComponentHealth> components = new java.util.LinkedHashMap<>();
        components.put("postgresql", full);
        components.put("grpc", empty);
        components.put("ipc", new HealthResult.ComponentHealth(true, "listening"));
        components.put("gone", null);
        HealthResult[] results = {
                new HealthResult("degraded", components),
                new HealthResult("healthy", Map.of()),
                new HealthResult(null, null),
        };
        for (HealthResult h : results) {
            assertThat(JACKSON.writeValueAsString(IpcJson.tree(h))).as("health.check %s", h)
                    .isEqualTo(JACKSON.writeValueAsString(h));
        }
        assertThat(JACKSON.writeValueAsString(AnswerTrees.health(results[0])))
                .contains("\"latency_ms\":9000000000", "\"message\":\"v-message\"", "\"grpc\":{\"healthy\":false}");
    }

    /** The records of {@code io.steep.repl.ipc.message} a daemon sends: every result, and what the results hold. */
    private static List<Class<?>> sentRecords() throws Exception {
        Path dir = Path.of(StatusResult.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/steep/repl/ipc/message");
        try (Stream<Path> files = Files.list(dir)) {
            List<Class<?>> out = new java.util.ArrayList<>();
            for (String f : files.map(x -> x.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$")).sorted().toList()) {
                Class<?> c = Class.forName("io.steep.repl.ipc.message." + f.replace(".class", ""));
                if (c.isRecord() && !c.getSimpleName().endsWith("Params")) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    @Test
    void everyRecordADaemonSendsIsBuiltByHandAsJacksonWritesIt() throws Exception {
        List<Class<?>> sent = sentRecords();
        assertThat(sent).extracting(Class::getSimpleName).contains("NodeInfo", "AuditEntry", "NodesListResult");
        for (Class<?> type : sent) {
            if (type == StatusResult.class || type == HealthResult.class) {
                continue; // their nested records and maps: the tests above
            }
            Object full = record(type, AnswerTreesTest::filled);
            Object empty = record(type, (t, n) -> empty(t, n));
            for (Object value : new Object[] {full, empty}) {
                assertThat(AnswerTrees.treeOrNull(value)).as("a hand-built tree for %s (AnswerTrees.treeOrNull)", type)
                        .isNotNull();
                assertThat(JsonTrees.string(IpcJson.tree(value))).as("%s", value)
                        .isEqualTo(JACKSON.writeValueAsString(value));
            }
        }
    }

    @Test
    void listsOfRecordsAreWrittenAsJacksonWritesThem() throws Exception {
        NodeInfo fullNode = (NodeInfo) record(NodeInfo.class, AnswerTreesTest::filled);
        NodeInfo emptyNode = (NodeInfo) record(NodeInfo.class, (t, n) -> empty(t, n));
        AuditEntry fullEntry = (AuditEntry) record(AuditEntry.class, AnswerTreesTest::filled);
        AuditEntry emptyEntry = (AuditEntry) record(AuditEntry.class, (t, n) -> empty(t, n));
        Object[] values = {
                new NodesListResult(Arrays.asList(fullNode, emptyNode, null), "node-a"),
                new NodesListResult(List.of(), null),
                new NodesGetResult(fullNode),
                new AuditQueryResult(Arrays.asList(fullEntry, emptyEntry, null), 3, true),
                new AuditQueryResult(List.of(), 0, false),
                new EventsSubscribeResult(Arrays.asList("status.changed", null)),
        };
        for (Object value : values) {
            assertThat(JsonTrees.string(IpcJson.tree(value))).as("%s", value)
                    .isEqualTo(JACKSON.writeValueAsString(value));
        }
        assertThat(JsonTrees.string(IpcJson.tree(values[3]))).contains("\"error_message\":\"v-errorMessage\"")
                .doesNotContain("\"error_message\":null");
    }

    @Test
    void requestsAreWrittenAsJacksonWritesTheRecord() throws Exception {
        IpcRequest[] requests = {
                new IpcRequest("r1", "status.get", null),
                new IpcRequest("r2", "nodes.get", JsonNodeFactory.instance.objectNode().put("node_id", "n-ü")),
                new IpcRequest(null, null, JsonNodeFactory.instance.objectNode()),
        };
        for (IpcRequest r : requests) {
            assertThat(new String(IpcJson.line(r), StandardCharsets.UTF_8)).as("request %s", r)
                    .isEqualTo(JACKSON.writeValueAsString(r) + "\n");
        }
    }

    @Test
    void eventsAreWrittenAsJacksonWritesTheRecord() throws Exception {
        IpcEvent[] events = {
                new IpcEvent(IpcEvent.HEALTH_CHANGED, JsonNodeFactory.instance.objectNode().put("status", "healthy")),
                new IpcEvent(IpcEvent.NODE_CHANGED, null),
                new IpcEvent(null, JsonNodeFactory.instance.arrayNode().add(1)),
        };
        for (IpcEvent e : events) {
            assertThat(new String(IpcJson.line(e), StandardCharsets.UTF_8)).as("event %s", e)
                    .isEqualTo(JACKSON.writeValueAsString(e) + "\n");
        }
    }

    @Test
    void treesPassAndOtherResultsStillGoThroughJackson() {
        var tree = JsonNodeFactory.instance.objectNode().put("a", 1);
        assertThat(IpcJson.tree(tree)).isSameAs(tree);
        var other = Map.of("when", Instant.parse("2025-12-04T10:00:00Z"));
        assertThat(AnswerTrees.treeOrNull(other)).isNull();
        assertThat(IpcJson.tree(other)).isEqualTo(JACKSON.valueToTree(other));
        assertThat(IpcJson.tree(other).get("when").asText()).isEqualTo("2025-12-04T10:00:00Z");
    }
}
