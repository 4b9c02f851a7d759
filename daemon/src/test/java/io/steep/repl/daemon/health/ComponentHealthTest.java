package io.steep.repl.daemon.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.ipc.JsonTrees;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ComponentHealth#toJson()} writes what Jackson writes from the annotated record, field for field. */
class ComponentHealthTest {

    private final ObjectMapper jackson = new ObjectMapper();

    @Test
    void everyShapeIsWrittenAsJacksonWritesTheRecord() throws Exception {
        ComponentHealth[] shapes = {
                new ComponentHealth(true, "connected", "18.1", 5432, 3L, null),
                new ComponentHealth(false, "down", null, 0, null, "connection refused — ünïcode \"quoted\""),
                new ComponentHealth(false, null, null, 0, null, null),
                new ComponentHealth(true, "listening", "v", 1, 0L, "e"),
                ComponentHealth.up("listening", 8080),
                ComponentHealth.down("stopped", "the IPC endpoint is closed"),
        };
        for (ComponentHealth h : shapes) {
            assertThat(JsonTrees.string(h.toJson())).as("%s", h).isEqualTo(jackson.writeValueAsString(h));
        }
    }

    @Test
    void aComponentAddedToTheRecordMustBeAddedToTheTree() {
        // toJson() names each component; a new one would silently be missing from /health
        assertThat(ComponentHealth.class.getRecordComponents()).extracting(RecordComponent::getName)
                .containsExactly("healthy", "status", "version", "port", "latencyMs", "error");
    }
}
