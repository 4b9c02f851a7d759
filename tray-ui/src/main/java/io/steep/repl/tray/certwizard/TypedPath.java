package io.steep.repl.tray.certwizard;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A path typed into the wizard, made absolute before it goes to the daemon. The daemon refuses relative paths
 * ({@code INVALID_PARAMS}: its working directory is not the user's), so "certs" or "~/certs" are taken relative to
 * the user's home, where a person typing a short path means it.
 */
final class TypedPath {

    private TypedPath() {
    }

    /**
     * @throws IllegalArgumentException with a sentence for the user when the text is no path at all
     */
    static Path absolute(String typed, Path home, String what) {
        String t = typed.strip();
        try {
            Path p;
            if (t.equals("~")) {
                p = home;
            } else if (t.startsWith("~/") || t.startsWith("~\\")) {
                p = home.resolve(t.substring(2));
            } else {
                p = Path.of(t);
            }
            return (p.isAbsolute() ? p : home.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("The " + what + " \"" + t + "\" is not a valid path: " + e.getReason() + ".");
        }
    }

    static Path home() {
        return Path.of(System.getProperty("user.home"));
    }
}
