/**
 * The JDK 25 AOT cache of an installed steep-repl (a jpackage app image: the DEB, the DMG, the MSI): {@code steep-repl
 * aot-cache} trains the image's own launcher, assembles {@code steep-repl.aot}, checks that the JVM maps it and only
 * then names it in the launcher's {@code .cfg}. The packages build it once — at build time for the DEB and the DMG,
 * at install time for the MSI, whose installed files do not keep the times the cache validates. The plain
 * distribution's cache is made by its Maven build (daemon/pom.xml), which runs {@code java} directly.
 */
package io.steep.repl.daemon.aot;
