package io.steep.repl.testing;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;

import java.nio.file.Path;

/** PostgreSQL 18 in Docker (Testcontainers), for machines that have a Docker engine. */
final class ContainerPgServer implements PgServer {

    private final PostgreSQLContainer container;

    private ContainerPgServer(PostgreSQLContainer container) {
        this.container = container;
    }

    static ContainerPgServer launch() {
        Path files = ExtensionFiles.layOut(RealPostgres.targetDir().resolve("container-ext")).resolve("extension");
        PostgreSQLContainer c = new PostgreSQLContainer("postgres:18");
        for (String f : ExtensionFiles.FILES) {
            c.withCopyFileToContainer(MountableFile.forHostPath(files.resolve(f)), "/usr/share/postgresql/18/extension/" + f);
        }
        c.start();
        return new ContainerPgServer(c);
    }

    @Override public String host() { return container.getHost(); }
    @Override public int port() { return container.getMappedPort(5432); }
    @Override public String superuser() { return container.getUsername(); }
    @Override public String password() { return container.getPassword(); }
    @Override public int majorVersion() { return 18; }
    @Override public boolean controllable() { return false; }

    @Override
    public void stop(StopMode mode) {
        throw new UnsupportedOperationException("the container server cannot be stopped and restarted by tests");
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("the container server cannot be stopped and restarted by tests");
    }
}
