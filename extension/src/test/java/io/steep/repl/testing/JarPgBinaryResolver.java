package io.steep.repl.testing;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads zonky's {@code postgres-<os>-<arch>.txz} from a binaries jar that is not on the classpath. */
final class JarPgBinaryResolver implements PgBinaryResolver {

    private final Path jar;

    JarPgBinaryResolver(Path jar) {
        this.jar = jar;
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        // zonky asks with e.g. ("Linux", "x86_64") or ("Darwin", "aarch64"); its jars name the entry in lower case
        // with the CPU normalised the way its own resolver does (postgres-darwin-arm_64.txz)
        String name = String.format("postgres-%s-%s.txz", system, cpu(machineHardware)).toLowerCase(java.util.Locale.ROOT);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null) {
                throw new IOException(name + " not found in " + jar);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        }
    }

    static String cpu(String machineHardware) {
        String arch = machineHardware.toLowerCase(java.util.Locale.ROOT);
        if (arch.matches("x86_64|amd64|x64")) {
            return "x86_64";
        }
        if (arch.matches("aarch64|arm64.*|armv8.*")) {
            return "arm_64";
        }
        return arch;
    }
}
