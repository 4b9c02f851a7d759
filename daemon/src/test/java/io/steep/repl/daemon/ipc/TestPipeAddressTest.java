package io.steep.repl.daemon.ipc;

import io.steep.repl.ipc.transport.PipeSecurity;
import io.steep.repl.testing.IpcAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipe names the IPC tests use on Windows are ones the daemon accepts as they are. */
class TestPipeAddressTest {

    @Test
    void theTestsPipeNamesPassTheDaemonsOwnCheckUnchanged(@TempDir Path tmp) {
        String pipe = IpcAddress.of(tmp.resolve("steep-repl").resolve("ipc.sock"), "Windows Server 2025");
        assertThat(PipeSecurity.pipePath(pipe)).isEqualTo(pipe);
    }
}
