package io.steep.repl.ipc;

import java.util.List;

/** Every method name of the protocol (docs/ipc.md describes each). Upstream's five first, then ours. */
public final class IpcMethods {

    public static final String STATUS_GET = "status.get";
    public static final String HEALTH_CHECK = "health.check";
    public static final String NODES_LIST = "nodes.list";
    public static final String NODES_GET = "nodes.get";
    public static final String AUDIT_QUERY = "audit.query";

    public static final String SERVICE_STATUS = "service.status";
    public static final String SERVICE_INSTALL = "service.install";
    public static final String SERVICE_UNINSTALL = "service.uninstall";
    public static final String SERVICE_START = "service.start";
    public static final String SERVICE_STOP = "service.stop";
    public static final String SERVICE_RESTART = "service.restart";
    public static final String CERTS_STATUS = "certs.status";
    public static final String CERTS_INIT_CA = "certs.init_ca";
    public static final String CERTS_ISSUE_NODE = "certs.issue_node";
    public static final String CERTS_CREATE_CSR = "certs.create_csr";
    public static final String CERTS_SIGN_CSR = "certs.sign_csr";
    public static final String EXTENSION_STATUS = "extension.status";
    public static final String EXTENSION_INSTALL = "extension.install";
    public static final String CONFIG_GET = "config.get";
    public static final String NODES_JOIN = "nodes.join";
    public static final String EVENTS_SUBSCRIBE = "events.subscribe";

    public static final List<String> UPSTREAM = List.of(STATUS_GET, HEALTH_CHECK, NODES_LIST, NODES_GET, AUDIT_QUERY);

    public static final List<String> ALL = List.of(STATUS_GET, HEALTH_CHECK, NODES_LIST, NODES_GET, AUDIT_QUERY,
            SERVICE_STATUS, SERVICE_INSTALL, SERVICE_UNINSTALL, SERVICE_START, SERVICE_STOP, SERVICE_RESTART,
            CERTS_STATUS, CERTS_INIT_CA, CERTS_ISSUE_NODE, CERTS_CREATE_CSR, CERTS_SIGN_CSR,
            EXTENSION_STATUS, EXTENSION_INSTALL, CONFIG_GET, NODES_JOIN, EVENTS_SUBSCRIBE);

    private IpcMethods() {
    }
}
