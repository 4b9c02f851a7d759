package io.steep.repl.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ipc.message.AuditEntry;
import io.steep.repl.ipc.message.AuditQueryResult;
import io.steep.repl.ipc.message.HealthResult;
import io.steep.repl.ipc.message.NodeInfo;
import io.steep.repl.ipc.message.NodesListResult;
import io.steep.repl.ipc.message.StatusResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IpcJsonTest {

    private static IpcJson.Decoded decode(String s) {
        return IpcJson.decodeRequest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void decodesAValidRequestAndDefaultsParamsToAnObject() {
        IpcJson.Decoded d = decode("{\"id\":\"a1\",\"method\":\"status.get\"}");
        assertThat(d).isInstanceOf(IpcJson.Valid.class);
        IpcRequest r = ((IpcJson.Valid) d).request();
        assertThat(r.id()).isEqualTo("a1");
        assertThat(r.method()).isEqualTo("status.get");
        assertThat(r.params().isObject()).isTrue();
    }

    @Test
    void classifiesBadRequestsWithTheIdWhenItCanBeRead() {
        assertThat(decode("not json")).isInstanceOf(IpcJson.Invalid.class);
        assertThat(((IpcJson.Invalid) decode("not json")).message()).contains("not valid JSON");
        assertThat(((IpcJson.Invalid) decode("[1,2]")).message()).contains("must be a JSON object");
        assertThat(((IpcJson.Invalid) decode("{\"method\":\"x\"}")).message()).contains("no \"id\"");
        assertThat(((IpcJson.Invalid) decode("{\"id\":5,\"method\":\"x\"}")).message()).contains("non-empty string");
        IpcJson.Invalid noMethod = (IpcJson.Invalid) decode("{\"id\":\"k\"}");
        assertThat(noMethod.id()).isEqualTo("k");
        assertThat(noMethod.message()).contains("method");
        IpcJson.Invalid badParams = (IpcJson.Invalid) decode("{\"id\":\"k\",\"method\":\"m\",\"params\":[1]}");
        assertThat(badParams.id()).isEqualTo("k");
        assertThat(badParams.message()).contains("params");
        assertThat(decode("{\"id\":\"k\",\"method\":\"m\"} trailing")).isInstanceOf(IpcJson.Invalid.class);
        assertThat(IpcJson.decodeRequest(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'})).isInstanceOf(IpcJson.Invalid.class);
    }

    @Test
    void answersOmitTheAbsentHalfLikeUpstream() {
        String ok = new String(IpcJson.line(IpcResponse.success("1", IpcJson.tree(Map.of("a", 1)))), StandardCharsets.UTF_8);
        assertThat(ok).isEqualTo("{\"id\":\"1\",\"result\":{\"a\":1}}\n");
        String err = new String(IpcJson.line(IpcResponse.failure(null, IpcErrorCode.INVALID_REQUEST, "bad")), StandardCharsets.UTF_8);
        assertThat(err).isEqualTo("{\"id\":null,\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"bad\"}}\n");
    }

    @Test
    void resultRecordsUseUpstreamFieldNames() {
        StatusResult s = new StatusResult("running", 42, 3600, Instant.parse("2025-12-04T10:00:00Z"), "0.1.0",
                new StatusResult.PostgresqlInfo(true, "18.0", "localhost", 5432),
                new StatusResult.GrpcInfo(true, 5433, true),
                new StatusResult.LocalNodeInfo("node-a", "Primary Node", true, 2));
        JsonNode j = IpcJson.tree(s);
        assertThat(keys(j)).containsExactly("state", "pid", "uptime_seconds", "start_time", "version", "postgresql", "grpc", "node");
        assertThat(j.get("start_time").asText()).isEqualTo("2025-12-04T10:00:00Z");
        assertThat(keys(j.get("postgresql"))).containsExactly("connected", "version", "host", "port");
        assertThat(keys(j.get("grpc"))).containsExactly("listening", "port", "tls_enabled");
        assertThat(keys(j.get("node"))).containsExactly("node_id", "node_name", "is_coordinator", "cluster_size");
        // Go's omitempty: unknown PG details are left out, connected stays
        assertThat(keys(IpcJson.tree(new StatusResult.PostgresqlInfo(false, null, null, null)))).containsExactly("connected");

        NodeInfo n = new NodeInfo("node-a", "Primary Node", "192.168.1.10", 5432, 80, true, Instant.parse("2025-12-04T12:00:00Z"), "healthy");
        assertThat(keys(IpcJson.tree(n))).containsExactly("node_id", "node_name", "host", "port", "priority", "is_coordinator", "last_seen", "status");
        assertThat(keys(IpcJson.tree(new NodesListResult(List.of(n), "node-a")))).containsExactly("nodes", "coordinator_id");

        AuditEntry a = new AuditEntry(1, Instant.parse("2025-12-04T10:00:00Z"), "daemon.started", "steep_repl@localhost", "daemon", "node-a", true, null);
        assertThat(keys(IpcJson.tree(a))).containsExactly("id", "occurred_at", "action", "actor", "target_type", "target_id", "success");
        assertThat(keys(IpcJson.tree(new AuditQueryResult(List.of(a), 1, false)))).containsExactly("entries", "total", "has_more");

        HealthResult h = new HealthResult("healthy", Map.of("postgresql", new HealthResult.ComponentHealth(true, "connected", 2L, null)));
        assertThat(keys(IpcJson.tree(h).get("components").get("postgresql"))).containsExactly("healthy", "status", "latency_ms");
    }

    @Test
    void recordsReadBackFromUpstreamJson() throws Exception {
        String upstream = "{\"node_id\":\"node-a\",\"node_name\":\"Primary Node\",\"host\":\"192.168.1.10\",\"port\":5432,"
                + "\"priority\":80,\"is_coordinator\":true,\"last_seen\":\"2025-12-04T12:00:00Z\",\"status\":\"healthy\",\"future\":1}";
        NodeInfo n = IpcJson.mapper().readValue(upstream, NodeInfo.class);
        assertThat(n.isCoordinator()).isTrue();
        assertThat(n.lastSeen()).isEqualTo(Instant.parse("2025-12-04T12:00:00Z"));
    }

    @Test
    void clientSideTellsAnswersFromEvents() {
        assertThat(IpcJson.decodeIncoming("{\"event\":\"node.changed\",\"data\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IpcJson.Pushed.class, p -> assertThat(p.event().event()).isEqualTo("node.changed"));
        assertThat(IpcJson.decodeIncoming("{\"id\":\"1\",\"result\":null,\"error\":{\"code\":\"NODE_NOT_FOUND\",\"message\":\"m\"}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IpcJson.Answer.class, a -> assertThat(a.response().error().code()).isEqualTo("NODE_NOT_FOUND"));
    }

    @Test
    void lineReaderSplitsLimitsAndReportsTruncation() throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream("a\r\nbb\n\ncc".getBytes(StandardCharsets.UTF_8)), 4);
        assertThat(((LineReader.Complete) r.next()).bytes()).isEqualTo("a".getBytes());
        assertThat(((LineReader.Complete) r.next()).bytes()).isEqualTo("bb".getBytes());
        assertThat(((LineReader.Complete) r.next()).bytes()).isEmpty();
        assertThat(((LineReader.Unterminated) r.next()).bytes()).isEqualTo("cc".getBytes());
        assertThat(r.next()).isInstanceOf(LineReader.End.class);

        LineReader exact = new LineReader(new ByteArrayInputStream("abcd\nabcde\n".getBytes(StandardCharsets.UTF_8)), 4);
        assertThat(exact.next()).isInstanceOf(LineReader.Complete.class);
        assertThat(exact.next()).isEqualTo(new LineReader.TooLong(4));
    }

    @Test
    void everyErrorCodeRoundTripsAndUpstreamCodesComeFirst() {
        assertThat(IpcErrorCode.values()).extracting(Enum::name).startsWith("INVALID_REQUEST", "METHOD_NOT_FOUND", "INTERNAL_ERROR",
                "NOT_CONNECTED", "NODE_NOT_FOUND", "PERMISSION_DENIED");
        for (IpcErrorCode c : IpcErrorCode.values()) {
            assertThat(IpcErrorCode.fromWire(c.name())).isSameAs(c);
        }
        assertThat(IpcErrorCode.fromWire("FROM_THE_FUTURE")).isNull();
    }
}
