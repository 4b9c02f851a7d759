package io.steep.repl.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;

/**
 * JUnit 5 extension giving tests a real PostgreSQL 18: {@code @ExtendWith(RealPostgres.class)} and a
 * {@link PgServer} parameter. One server per test JVM, started on first use, stopped when the JVM's tests end.
 *
 * <p>Mode, chosen by {@code -Dsteep.pg=}:
 * <ul>
 *   <li>{@code embedded} (default): zonky embedded binaries, data under {@code target/embedded-pg}.</li>
 *   <li>{@code testcontainers}: the {@code postgres:18} image; needs a Docker engine.</li>
 *   <li>{@code url}: an existing server, {@code -Dsteep.pg.url=jdbc:postgresql://host:port/db}
 *       with {@code -Dsteep.pg.user} / {@code -Dsteep.pg.password}; the steep_repl files must be installed there.</li>
 * </ul>
 */
public final class RealPostgres implements ParameterResolver {

    private static final Object LOCK = new Object();
    private static PgServer shared;

    /** The JVM-wide server, started on first call. */
    public static PgServer server() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = startConfigured();
                PgServer s = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> s.stop(PgServer.StopMode.FAST), "real-postgres-stop"));
            }
            return shared;
        }
    }

    private static PgServer startConfigured() {
        String mode = System.getProperty("steep.pg", "embedded");
        return switch (mode) {
            case "embedded" -> EmbeddedPgServer.startPg18(targetDir().resolve("embedded-pg").resolve("pg18-" + ProcessHandle.current().pid()));
            case "testcontainers" -> ContainerPgServer.launch();
            case "url" -> ExternalPgServer.fromSystemProperties();
            default -> throw new IllegalArgumentException("-Dsteep.pg=" + mode + " is not one of embedded, testcontainers, url");
        };
    }

    /** The module's build directory ({@code target/}), where test data lives. */
    public static Path targetDir() {
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(basedir, "target");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == PgServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server();
    }
}
