package io.steep.repl.daemon.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code components} in the health contract (upstream's http-health.md): absent fields are left out.
 *
 * @param port      0 = not shown
 * @param latencyMs null = not shown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentHealth(boolean healthy, String status, String version,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) int port,
                             @JsonProperty("latency_ms") Long latencyMs, String error) {

    public static ComponentHealth up(String status) {
        return new ComponentHealth(true, status, null, 0, null, null);
    }

    public static ComponentHealth up(String status, int port) {
        return new ComponentHealth(true, status, null, port, null, null);
    }

    public static ComponentHealth down(String status, String error) {
        return new ComponentHealth(false, status, null, 0, null, error);
    }

    /**
     * As the annotations above say Jackson writes it, built by hand so {@code /health} needs no data binding
     * ({@code ComponentHealthTest} holds the two to the same bytes).
     */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("healthy", healthy);
        if (status != null) {
            n.put("status", status);
        }
        if (version != null) {
            n.put("version", version);
        }
        if (port != 0) {
            n.put("port", port);
        }
        if (latencyMs != null) {
            n.put("latency_ms", latencyMs);
        }
        if (error != null) {
            n.put("error", error);
        }
        return n;
    }
}
