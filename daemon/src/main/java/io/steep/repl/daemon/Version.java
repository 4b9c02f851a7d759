package io.steep.repl.daemon;

/** The program's version: the jar manifest's Implementation-Version (set by the build), "dev" when run from classes. */
public final class Version {

    private Version() {
    }

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
