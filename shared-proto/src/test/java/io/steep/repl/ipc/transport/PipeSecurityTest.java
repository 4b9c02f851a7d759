package io.steep.repl.ipc.transport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipeSecurityTest {

    private static final String DAEMON = "S-1-5-21-1004336348-1177238915-682003330-1001";
    private static final String GROUP = "S-1-5-21-1004336348-1177238915-682003330-1010";

    @Test
    void pipeNamesAreNormalisedAndRemoteOrMalformedNamesRefused() {
        assertThat(PipeSecurity.pipePath("steep-repl")).isEqualTo("\\\\.\\pipe\\steep-repl");
        assertThat(PipeSecurity.pipePath("\\\\.\\pipe\\steep-repl")).isEqualTo("\\\\.\\pipe\\steep-repl");
        assertThat(PipeSecurity.pipePath("\\\\.\\PIPE\\x")).isEqualTo("\\\\.\\pipe\\x");
        assertThatThrownBy(() -> PipeSecurity.pipePath("\\\\server\\pipe\\steep-repl")).hasMessageContaining("not a local pipe");
        assertThatThrownBy(() -> PipeSecurity.pipePath("\\\\.\\pipe\\")).hasMessageContaining("no pipe name");
        assertThatThrownBy(() -> PipeSecurity.pipePath("a\\b")).hasMessageContaining("must not contain");
        assertThatThrownBy(() -> PipeSecurity.pipePath("a\u0001")).hasMessageContaining("control character");
        assertThatThrownBy(() -> PipeSecurity.pipePath(" ")).hasMessageContaining("empty");
        assertThat(PipeSecurity.pipePath("x".repeat(256 - 9))).hasSize(256);
        assertThatThrownBy(() -> PipeSecurity.pipePath("x".repeat(256 - 8))).hasMessageContaining("longer than 256");
    }

    @Test
    void daclGrantsSystemAdministratorsDaemonAndGroupAndDeniesNetwork() {
        String sddl = PipeSecurity.sddl(DAEMON, List.of(GROUP));
        assertThat(sddl).isEqualTo("D:P(D;;GA;;;NU)(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;" + DAEMON + ")(A;;0x12019b;;;" + GROUP + ")");
        // protected: nothing inherited from the pipe namespace's default DACL (which admits Everyone to read)
        assertThat(sddl).startsWith("D:P").doesNotContain(";;;WD)").doesNotContain(";;;AU)");
        assertThat(PipeSecurity.sddl(DAEMON, List.of())).isEqualTo("D:P(D;;GA;;;NU)(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;" + DAEMON + ")");
    }

    @Test
    void groupRightsExcludeCreatePipeInstance() {
        int rights = Integer.decode(PipeSecurity.CLIENT_RIGHTS);
        int fileAppendDataAlsoCreatePipeInstance = 0x4;
        assertThat(rights & fileAppendDataAlsoCreatePipeInstance).isZero();
        assertThat(rights & 0x1).isNotZero();  // FILE_READ_DATA
        assertThat(rights & 0x2).isNotZero();  // FILE_WRITE_DATA
        assertThat(rights & 0x100000).isNotZero(); // SYNCHRONIZE
    }

    @Test
    void onlySidsReachTheDescriptor() {
        assertThatThrownBy(() -> PipeSecurity.sddl(DAEMON, List.of("S-1-5)(A;;GA;;;WD"))).hasMessageContaining("not a SID");
        assertThatThrownBy(() -> PipeSecurity.sddl("Everyone", List.of())).hasMessageContaining("not a SID");
        assertThat(PipeSecurity.isSid("S-1-5-32-544")).isTrue();
        assertThat(PipeSecurity.isSid("S-1-5")).isFalse();
    }
}
