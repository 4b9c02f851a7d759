package io.steep.repl.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's per-OS spellings, checked on every OS (the servers themselves only start on the build's own). */
class PortableHarnessTest {

    @Test
    void controlPathIsShellQuotedWithColonsOnUnixAndBareWithSemicolonsOnWindows() {
        Path root = Path.of("ext").toAbsolutePath();
        assertThat(ExtensionFiles.controlPathSetting(root, "Linux")).isEqualTo("'$system:" + root + "'");
        assertThat(ExtensionFiles.controlPathSetting(root, "Mac OS X")).isEqualTo("'$system:" + root + "'");
        assertThat(ExtensionFiles.controlPathSetting(root, "Windows Server 2022")).isEqualTo("$system;" + root);
    }

    @Test
    void binariesJarEntriesAreNamedWithZonkysCpuNames() {
        assertThat(JarPgBinaryResolver.cpu("x86_64")).isEqualTo("x86_64");
        assertThat(JarPgBinaryResolver.cpu("amd64")).isEqualTo("x86_64");
        assertThat(JarPgBinaryResolver.cpu("aarch64")).isEqualTo("arm_64");
        assertThat(JarPgBinaryResolver.cpu("arm64")).isEqualTo("arm_64");
    }

    @Test
    void ipcAddressIsTheSocketPathOnUnixAndAStablePerPathPipeOnWindows() {
        Path a = Path.of("target", "a", "ipc.sock");
        Path b = Path.of("target", "b", "ipc.sock");
        assertThat(IpcAddress.of(a, "Linux")).isEqualTo(a.toString());
        assertThat(IpcAddress.of(a, "Mac OS X")).isEqualTo(a.toString());
        String pipe = IpcAddress.of(a, "Windows 11");
        assertThat(pipe).startsWith("\\\\.\\pipe\\steep-test-").hasSize("\\\\.\\pipe\\steep-test-".length() + 16);
        assertThat(IpcAddress.of(a, "Windows 11")).isEqualTo(pipe);
        assertThat(IpcAddress.of(b, "Windows 11")).isNotEqualTo(pipe);
    }
}
