package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * {@code health.check} result: overall {@code status} ("healthy", "degraded", "unhealthy") and one entry per
 * component (upstream's: postgresql, grpc, ipc).
 */
public record HealthResult(String status, Map<String, ComponentHealth> components) {

    /** One component; {@code latency_ms} only where it was measured, {@code message} only when unhealthy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentHealth(boolean healthy, String status, @JsonProperty("latency_ms") Long latencyMs, String message) {

        public ComponentHealth(boolean healthy, String status) {
            this(healthy, status, null, null);
        }
    }
}
