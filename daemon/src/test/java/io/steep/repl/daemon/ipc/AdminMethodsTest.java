package io.steep.repl.daemon.ipc;

import io.steep.repl.daemon.service.RecordingRunner;
import io.steep.repl.ipc.IpcMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AdminMethodsTest {

    private static final Set<String> STATUS_METHODS = Set.of(IpcMethods.SERVICE_STATUS, IpcMethods.CERTS_STATUS,
            IpcMethods.EXTENSION_STATUS);

    @TempDir
    Path dir;

    @Test
    void togetherWithTheStandardMethodsEveryProtocolMethodIsReal() throws Exception {
        MethodRegistry r = StandardMethods.create(Fixtures.unreachableDataSource(), () -> Fixtures.STATUS,
                () -> Fixtures.HEALTH, () -> Fixtures.CONFIG, new EventBroadcaster());
        AdminMethods.install(r, Fixtures.adminDeps(Fixtures.unreachableDataSource(), dir, new RecordingRunner(), null));

        assertThat(r.names()).containsExactlyInAnyOrderElementsOf(IpcMethods.ALL);
        assertThat(NotImplementedMethods.PENDING).isEmpty();
        for (String name : IpcMethods.ALL) {
            assertThat(r.find(name).orElseThrow()).as(name).isNotInstanceOf(NotImplementedMethods.Pending.class);
        }
    }

    @Test
    void whatChangesTheSystemIsPrivilegedAndStatusIsOpen() throws Exception {
        List<IpcMethod> admin = AdminMethods.all(Fixtures.adminDeps(Fixtures.unreachableDataSource(), dir, new RecordingRunner(), null));

        assertThat(admin).extracting(IpcMethod::name).containsExactlyInAnyOrder(
                IpcMethods.SERVICE_STATUS, IpcMethods.SERVICE_INSTALL, IpcMethods.SERVICE_UNINSTALL, IpcMethods.SERVICE_START,
                IpcMethods.SERVICE_STOP, IpcMethods.SERVICE_RESTART, IpcMethods.CERTS_STATUS, IpcMethods.CERTS_INIT_CA,
                IpcMethods.CERTS_ISSUE_NODE, IpcMethods.CERTS_CREATE_CSR, IpcMethods.CERTS_SIGN_CSR,
                IpcMethods.EXTENSION_STATUS, IpcMethods.EXTENSION_INSTALL, IpcMethods.NODES_JOIN);
        for (IpcMethod m : admin) {
            assertThat(m.access()).as(m.name()).isEqualTo(STATUS_METHODS.contains(m.name())
                    ? IpcMethod.Access.ANY_ADMITTED : IpcMethod.Access.PRIVILEGED);
        }
    }

    @Test
    void installReplacesPlaceholdersWhileTheyAreStillRegistered() throws Exception {
        MethodRegistry r = new MethodRegistry();
        r.register(new NotImplementedMethods.Pending(IpcMethods.NODES_JOIN, "cluster join", IpcMethod.Access.PRIVILEGED));
        r.register(new SourceMethod(IpcMethods.STATUS_GET, Map::of));

        AdminMethods.install(r, Fixtures.adminDeps(Fixtures.unreachableDataSource(), dir, new RecordingRunner(), null));

        assertThat(r.find(IpcMethods.NODES_JOIN).orElseThrow()).isInstanceOf(NodesJoinMethod.class);
        assertThat(r.find(IpcMethods.SERVICE_STATUS)).isPresent();
    }
}
