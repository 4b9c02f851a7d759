package io.steep.repl.daemon.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditJsonTest {

    /** How spool lines were written before AuditJson (and still are by bench/'s audit step): a spool left by that
     *  version, or by a crash of it, must read back unchanged. */
    private static final ObjectMapper RECORD_MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static AuditEvent sample() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", "0.1.0");
        details.put("pid", 4242L);
        details.put("uptime_seconds", 7);
        details.put("ratio", 0.5);
        details.put("ok", true);
        details.put("nothing", null);
        details.put("big", new BigInteger("123456789012345678901234567890"));
        details.put("nested", Map.of("peers", List.of("node-b", "node-c")));
        details.put("quote \"and\" unicode", "é ✓ \n");
        return AuditEvent.failure("daemon.start_failed", "daemon@node-a", "node", "node-a", details, "port 5432: refused");
    }

    @Test
    void writesByteForByteWhatJacksonsRecordSerialisationWrote() throws IOException {
        for (AuditEvent e : List.of(sample(), AuditEvent.success("daemon.started", "daemon@node-a", null, null, null))) {
            String expected = RECORD_MAPPER.writeValueAsString(e) + "\n";
            assertThat(new String(AuditJson.line(e), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void readsLinesTheOldWayWroteAndItsOwnToEqualEvents() throws IOException {
        AuditEvent e = sample();
        assertThat(AuditJson.event(RECORD_MAPPER.writeValueAsBytes(e))).isEqualTo(RECORD_MAPPER.readValue(RECORD_MAPPER.writeValueAsBytes(e), AuditEvent.class));
        byte[] line = AuditJson.line(e);
        AuditEvent back = AuditJson.event(java.util.Arrays.copyOf(line, line.length - 1));
        assertThat(back).isEqualTo(RECORD_MAPPER.readValue(line, AuditEvent.class));
        assertThat(back.eventId()).isEqualTo(e.eventId());
        assertThat(back.occurredAt()).isEqualTo(e.occurredAt());
        assertThat(back.errorMessage()).isEqualTo(e.errorMessage());
        assertThat(back.details().get("pid")).isEqualTo(4242); // as Jackson reads untyped numbers: the smallest type
        assertThat(back.details().get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    }

    @Test
    void newValueIsTheEventIdFollowedByTheDetails() throws IOException {
        AuditEvent e = sample();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("event_id", e.eventId().toString());
        expected.putAll(e.details());
        assertThat(AuditJson.newValue(e)).isEqualTo(PLAIN.writeValueAsString(expected));
    }

    @Test
    void aBrokenLineIsAnIoExceptionThatSaysWhat() {
        assertThatThrownBy(() -> AuditJson.event("{\"action\":\"torn".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AuditJson.event("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> AuditJson.event("{\"occurredAt\":\"2026-11-26T08:00:00Z\",\"action\":\"a\",\"actor\":\"b\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("without eventId");
        assertThatThrownBy(() -> AuditJson.event(("{\"eventId\":\"not-a-uuid\",\"occurredAt\":\"2026-11-26T08:00:00Z\","
                + "\"action\":\"a\",\"actor\":\"b\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("audit spool line");
        assertThatThrownBy(() -> AuditJson.event(("{\"eventId\":\"" + java.util.UUID.randomUUID() + "\",\"occurredAt\":\"yesterday\","
                + "\"action\":\"a\",\"actor\":\"b\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("yesterday");
    }
}
