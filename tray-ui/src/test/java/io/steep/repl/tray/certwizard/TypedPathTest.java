package io.steep.repl.tray.certwizard;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypedPathTest {

    private static final Path HOME = Path.of("/home/dba");

    @Test
    void relativeAndTildePathsAreTakenFromHome() {
        assertThat(TypedPath.absolute("certs", HOME, "CA directory")).isEqualTo(Path.of("/home/dba/certs"));
        assertThat(TypedPath.absolute("  ./in/../node-csr.pem ", HOME, "CSR file")).isEqualTo(Path.of("/home/dba/node-csr.pem"));
        assertThat(TypedPath.absolute("~/bundles/node-d", HOME, "output directory")).isEqualTo(Path.of("/home/dba/bundles/node-d"));
        assertThat(TypedPath.absolute("~", HOME, "output directory")).isEqualTo(HOME);
    }

    @Test
    void absolutePathsStayAsTyped() {
        assertThat(TypedPath.absolute("/etc/steep/certs", HOME, "CA directory")).isEqualTo(Path.of("/etc/steep/certs"));
        // "~user" is not expanded (no lookup of other users): it is a relative name like any other
        assertThat(TypedPath.absolute("~other/x", HOME, "CA directory")).isEqualTo(Path.of("/home/dba/~other/x"));
    }

    @Test
    void aPathThatIsNoPathIsRefusedWithItsName() {
        assertThatThrownBy(() -> TypedPath.absolute("a\0b", HOME, "CSR file"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("The CSR file \"a\0b\" is not a valid path");
    }
}
