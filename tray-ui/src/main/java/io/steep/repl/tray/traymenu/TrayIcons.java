package io.steep.repl.tray.traymenu;

import javafx.scene.image.Image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The PNGs of the icons module ({@code io/steep/repl/icons/NAME-SIZE.png}). */
public final class TrayIcons {

    public static final List<Integer> SIZES = List.of(16, 22, 24, 32, 48, 64, 128, 256, 512);

    private TrayIcons() {
    }

    static String path(String name, int size) {
        return "/io/steep/repl/icons/" + name + "-" + size + ".png";
    }

    /** The rendered size nearest above {@code wanted} (a tray asks for 22 or 24, HiDPI for 32/48). */
    public static int bestSize(int wanted) {
        return SIZES.stream().filter(s -> s >= wanted).findFirst().orElse(512);
    }

    public static Image fx(String name, int size) {
        try (InputStream in = open(name, size)) {
            return new Image(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Window icons: every size, so the OS picks. */
    public static List<Image> appIcons() {
        return List.of(fx("steep-repl", 16), fx("steep-repl", 32), fx("steep-repl", 64), fx("steep-repl", 256));
    }

    public static BufferedImage awt(String name, int size) {
        try (InputStream in = open(name, bestSize(size))) {
            return javax.imageio.ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name, int size) {
        InputStream in = TrayIcons.class.getResourceAsStream(path(name, size));
        if (in == null) {
            throw new IllegalStateException("icon " + path(name, size) + " missing: the icons jar is not on the class path");
        }
        return in;
    }
}
