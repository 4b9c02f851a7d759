package io.steep.repl.ipc.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * {@code status.get} result, upstream's {@code StatusResult} field for field. The daemon writes it by hand
 * ({@code io.steep.repl.ipc.AnswerTrees}, held to these annotations by its test): a new field goes in both.
 */
public record StatusResult(
        String state,
        int pid,
        @JsonProperty("uptime_seconds") long uptimeSeconds,
        @JsonProperty("start_time") Instant startTime,
        String version,
        PostgresqlInfo postgresql,
        GrpcInfo grpc,
        LocalNodeInfo node) {

    /** Upstream's {@code PostgreSQLInfo}; version/host/port are omitted when unknown (Go's omitempty). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PostgresqlInfo(boolean connected, String version, String host, Integer port) {
    }

    /**
     * Upstream's {@code GRPCInfo}, plus this node's certificate expiry ({@code cert_not_after},
     * {@code cert_days_left}; absent without TLS) — additions only, so upstream clients ignore them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GrpcInfo(boolean listening, Integer port, @JsonProperty("tls_enabled") boolean tlsEnabled,
                           @JsonProperty("cert_not_after") Instant certNotAfter,
                           @JsonProperty("cert_days_left") Long certDaysLeft) {

        public GrpcInfo(boolean listening, Integer port, boolean tlsEnabled) {
            this(listening, port, tlsEnabled, null, null);
        }
    }

    /** Upstream's status {@code NodeInfo} (this node as the cluster sees it); not the {@link NodeInfo} of nodes.list. */
    public record LocalNodeInfo(
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("node_name") String nodeName,
            @JsonProperty("is_coordinator") boolean isCoordinator,
            @JsonProperty("cluster_size") int clusterSize) {
    }
}
