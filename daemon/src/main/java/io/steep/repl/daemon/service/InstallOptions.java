package io.steep.repl.daemon.service;

import java.util.Optional;

/**
 * Choices for {@code install}.
 *
 * @param configFile the config the service runs with; default: the platform's config file for the scope
 * @param launcher   the launcher the service starts; default: see {@link Launcher#locate}
 */
public record InstallOptions(Optional<String> configFile, Optional<String> launcher) {

    public static InstallOptions defaults() {
        return new InstallOptions(Optional.empty(), Optional.empty());
    }
}
