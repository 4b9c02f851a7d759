package io.steep.repl.daemon.ipc;

import io.steep.repl.daemon.config.DaemonConfig;
import io.steep.repl.daemon.service.ServiceControl;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Objects;

/**
 * What the admin methods ({@code service.*}, {@code certs.*}, {@code extension.*}, {@code nodes.join}) need.
 *
 * @param dataSource       the daemon's pool: {@code extension.status|install} run on it
 * @param extensionChanged called after {@code extension.install} changed the database (the daemon passes
 *                         {@code database::probeSoon} so its status turns READY without waiting for the next probe)
 * @param config           the effective configuration: default certificate directory, node id, gRPC on/off
 * @param clock            certificate validity and reports
 * @param service          {@code ServiceControl.forThisHost()} in the daemon; a scratch host in tests
 * @param join             {@code coordinatorNode::join}; {@code null} when gRPC is disabled (nodes.join answers
 *                         UNAVAILABLE)
 */
public record AdminDeps(DataSource dataSource, Runnable extensionChanged, DaemonConfig config, Clock clock,
                        ServiceControl service, JoinAction join) {

    public AdminDeps {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(service, "service");
        extensionChanged = extensionChanged == null ? () -> { } : extensionChanged;
    }
}
