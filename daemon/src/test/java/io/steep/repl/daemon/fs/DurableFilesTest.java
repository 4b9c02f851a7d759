package io.steep.repl.daemon.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

    @TempDir
    Path dir;

    @Test
    void replaceTakesTheTargetsPlaceAndLeavesNoStagedFile() throws IOException {
        Path target = Files.writeString(dir.resolve("offset"), "old");
        Path staged = Files.writeString(dir.resolve("offset.tmp"), "new");

        DurableFiles.replace(staged, target);

        assertThat(target).hasContent("new");
        assertThat(staged).doesNotExist();
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void moveIntoPlaceCreatesATargetThatDidNotExist() throws IOException {
        Path staged = Files.writeString(dir.resolve(".cfg.tmp"), "first");

        DurableFiles.moveIntoPlace(staged, dir.resolve("steep-repl.cfg"));

        assertThat(dir.resolve("steep-repl.cfg")).hasContent("first");
        assertThat(staged).doesNotExist();
    }

    @Test
    void aMissingStagedFileFailsAndLeavesTheTargetAlone() throws IOException {
        Path target = Files.writeString(dir.resolve("node-key.pem"), "kept");

        assertThatThrownBy(() -> DurableFiles.replace(dir.resolve("gone.tmp"), target)).isInstanceOf(NoSuchFileException.class);
        assertThat(target).hasContent("kept");
    }

    @Test
    void syncingADirectoryThePlatformCannotOpenIsNotAnError() {
        assertThatCode(() -> DurableFiles.syncDirectory(dir.resolve("no-such-directory"))).doesNotThrowAnyException();
    }
}
