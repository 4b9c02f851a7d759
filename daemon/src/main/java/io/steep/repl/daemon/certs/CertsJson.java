package io.steep.repl.daemon.certs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;

/**
 * JSON shape of this package's result records (for {@code tls show --json} and the IPC {@code certs.*} methods):
 * paths as plain strings, instants as ISO-8601. The records hold no key material, so they serialise as they are.
 */
public final class CertsJson {

    private CertsJson() {
    }

    /** Paths as their plain string, not Jackson's default {@code file://} URI. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("steep-repl-certs");
        module.addSerializer(Path.class, ToStringSerializer.instance);
        return module;
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }
}
