package io.steep.repl.installers;

import io.steep.repl.daemon.aot.AppImage;
import io.steep.repl.daemon.cli.SteepReplCommand;
import io.steep.repl.daemon.config.PlatformPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of the MSI's service integration without Windows: the WiX fragment
 * ({@code windows/wix/os-condition.wxf}) is well-formed WiX 4, its custom actions run the daemon's real service
 * commands in the right order and context, the config it installs is where {@code steep-repl install --platform
 * windows --dry-run} tells procrun to read it, and the Windows default config is the DEB's with only comments
 * changed. The Windows CI job installs and uninstalls the MSI for real.
 */
class MsiServiceFragmentTest {

    static final String WIX = "http://wixtoolset.org/schemas/v4/wxs";
    static final Path FRAGMENT = Path.of("windows/wix/os-condition.wxf");
    static Document doc;

    @BeforeAll
    static void parse() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        doc = f.newDocumentBuilder().parse(FRAGMENT.toFile());
    }

    static List<Element> elements(String name) {
        NodeList nodes = doc.getElementsByTagNameNS(WIX, name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    static Element byId(String name, String id) {
        return elements(name).stream().filter(e -> e.getAttribute("Id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no <" + name + " Id=\"" + id + "\"> in " + FRAGMENT));
    }

    @Test
    void isAWix4FragmentThatKeepsJpackagesAnchorAndOsCheck() {
        Element root = doc.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(WIX);
        assertThat(root.getLocalName()).isEqualTo("Wix");
        // main.wxs references this group: without it the whole fragment is dropped at link time
        assertThat(byId("ComponentGroup", "FragmentOsCondition").getParentNode().getLocalName()).isEqualTo("Fragment");
        assertThat(elements("Launch")).singleElement().satisfies(l ->
                assertThat(l.getAttribute("Condition")).contains("$(var.JpExecutableOSVersion)").startsWith("Installed OR"));
    }

    @Test
    void customActionsRunTheBundledLauncherAsLocalSystem() {
        Map<String, String> verbs = new LinkedHashMap<>();
        for (Element ca : elements("CustomAction")) {
            String id = ca.getAttribute("Id");
            assertThat(ca.getAttribute("Directory")).as(id).isEqualTo("INSTALLDIR");
            // deferred/rollback + not impersonated: runs elevated as LocalSystem, after the files are written
            assertThat(ca.getAttribute("Execute")).as(id).isIn("deferred", "rollback");
            assertThat(ca.getAttribute("Impersonate")).as(id).isEqualTo("no");
            String cmd = ca.getAttribute("ExeCommand");
            assertThat(cmd).as(id).startsWith("\"[INSTALLDIR]steep-repl.exe\" ");
            verbs.put(id, cmd.substring("\"[INSTALLDIR]steep-repl.exe\" ".length()));
            // only the registration itself may fail the install; start, stop and the cleanups must not
            assertThat(ca.getAttribute("Return")).as(id)
                    .isEqualTo(id.equals("SteepReplInstallService") ? "check" : "ignore");
        }
        assertThat(verbs).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SteepReplUnregisterStale", "uninstall",
                "SteepReplRollbackInstall", "uninstall",
                "SteepReplAotCache", "aot-cache",
                "SteepReplInstallService", "install",
                "SteepReplStartService", "start",
                "SteepReplRollbackStart", "start",
                "SteepReplRollbackUninstall", "install",
                "SteepReplStopService", "stop",
                "SteepReplUninstallService", "uninstall"));
        assertThat(byId("CustomAction", "SteepReplRollbackInstall").getAttribute("Execute")).isEqualTo("rollback");
        assertThat(byId("CustomAction", "SteepReplRollbackUninstall").getAttribute("Execute")).isEqualTo("rollback");
        assertThat(byId("CustomAction", "SteepReplRollbackStart").getAttribute("Execute")).isEqualTo("rollback");
    }

    @Test
    void installRunsAfterInstallFilesAndUninstallBeforeRemoveFiles() {
        assertThat(chain("SteepReplUnregisterStale")).containsExactly("InstallFiles", "SteepReplUnregisterStale",
                "SteepReplRollbackInstall", "SteepReplAotCache", "SteepReplInstallService", "SteepReplStartService");
        assertThat(chain("SteepReplRollbackStart")).containsExactly("SteepReplRollbackStart",
                "SteepReplRollbackUninstall", "SteepReplStopService", "SteepReplUninstallService", "RemoveFiles");
        for (Element c : elements("Custom")) {
            String action = c.getAttribute("Action");
            boolean removing = List.of("SteepReplRollbackStart", "SteepReplRollbackUninstall", "SteepReplStopService",
                    "SteepReplUninstallService").contains(action);
            assertThat(c.getAttribute("Condition")).as(action)
                    .isEqualTo(removing ? "REMOVE~=\"ALL\"" : "NOT REMOVE~=\"ALL\"");
        }
        assertThat(elements("Custom")).hasSize(elements("CustomAction").size());
    }

    /** The actions in execution order, from the one given, following After/Before links (standard actions at the ends). */
    static List<String> chain(String first) {
        Map<String, String> next = new HashMap<>();
        for (Element c : elements("Custom")) {
            if (!c.getAttribute("After").isEmpty()) {
                next.put(c.getAttribute("After"), c.getAttribute("Action"));
            }
            if (!c.getAttribute("Before").isEmpty()) {
                next.put(c.getAttribute("Action"), c.getAttribute("Before"));
            }
        }
        List<String> order = new ArrayList<>();
        String prev = next.entrySet().stream().filter(e -> e.getValue().equals(first)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        if (prev != null) {
            order.add(prev);
        }
        for (String a = first; a != null && order.size() < 20; a = next.get(a)) {
            order.add(a);
        }
        return order;
    }

    @Test
    void everyVerbIsARealServiceCommandAndTheConfigIsWhereTheServiceReadsIt() {
        for (String verb : List.of("install", "start", "stop", "uninstall")) {
            assertThat(dryRun(verb)).as(verb).startsWith("# " + verb + " steep-repl (Windows service)");
        }
        String install = dryRun("install");
        // the MSI installs into C:\Program Files\steep-repl (build-msi.sh: --install-dir steep-repl), where the
        // daemon looks for prunsrv.exe next to the launcher
        assertThat(install).contains("\"C:\\Program Files\\steep-repl\\prunsrv.exe\" //IS//steep-repl");
        // the fragment puts config.yaml in CommonAppDataFolder\steep: procrun must start the daemon with that file
        Element file = byId("File", "SteepReplConfigYaml");
        Element dir = (Element) file.getParentNode().getParentNode();
        Element standard = (Element) dir.getParentNode();
        assertThat(standard.getLocalName()).isEqualTo("StandardDirectory");
        assertThat(standard.getAttribute("Id")).isEqualTo("CommonAppDataFolder");
        String installed = "C:\\ProgramData\\" + dir.getAttribute("Name") + "\\" + file.getAttribute("Name");
        assertThat(installed).isEqualTo("C:\\ProgramData\\steep\\config.yaml");
        assertThat(install).contains("--StartParams=run;--config;" + installed);
        Element component = (Element) file.getParentNode();
        assertThat(component.getAttribute("NeverOverwrite")).isEqualTo("yes");
        assertThat(component.getAttribute("Permanent")).isEqualTo("yes");
        assertThat(file.getAttribute("Source")).isEqualTo("@STEEP_DEFAULT_CONFIG@");
        assertThat(byId("FeatureRef", "DefaultFeature").getElementsByTagNameNS(WIX, "ComponentRef").item(0))
                .extracting(n -> ((Element) n).getAttribute("Id")).isEqualTo("SteepReplDefaultConfig");
    }

    @Test
    void theAotCacheTheInstallMakesIsRemovedOnUninstall() {
        // where `steep-repl aot-cache` puts it in the MSI's layout: beside steep-repl.exe, i.e. in INSTALLDIR
        AppImage image = AppImage.of(Path.of("/c/Program Files/steep-repl/steep-repl.exe"), PlatformPaths.Os.WINDOWS);
        assertThat(image.cache().getParent()).isEqualTo(image.launcher().getParent());
        Element cache = byId("RemoveFile", "SteepReplAotCacheFile");
        Element next = byId("RemoveFile", "SteepReplAotCacheNext");
        assertThat(cache.getAttribute("Name")).isEqualTo(image.cache().getFileName().toString());
        assertThat(next.getAttribute("Name")).isEqualTo(image.cache().getFileName() + ".new");
        for (Element remove : List.of(cache, next)) {
            assertThat(remove.getAttribute("On")).isEqualTo("uninstall");
            Element component = (Element) remove.getParentNode();
            assertThat(component.getAttribute("Id")).isEqualTo("SteepReplAotCacheCleanup");
            assertThat(((Element) component.getParentNode()).getAttribute("Id")).isEqualTo("INSTALLDIR");
        }
        NodeList refs = byId("FeatureRef", "DefaultFeature").getElementsByTagNameNS(WIX, "ComponentRef");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < refs.getLength(); i++) {
            ids.add(((Element) refs.item(i)).getAttribute("Id"));
        }
        assertThat(ids).contains("SteepReplAotCacheCleanup");
        // the custom action's command is a real one
        StringWriter out = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("aot-cache", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: steep-repl aot-cache");
    }

    @Test
    void buildScriptFillsThePlaceholderAndInstallsWhereTheDaemonLooks() throws Exception {
        String script = Files.readString(Path.of("windows/build-msi.sh"));
        assertThat(script).contains("${fragment//@STEEP_DEFAULT_CONFIG@/", "--resource-dir \"$resources\"",
                "--install-dir steep-repl", "config-windows.sed");
    }

    static String dryRun(String verb) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SteepReplCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(verb, "--platform", "windows", "--dry-run");
        assertThat(code).as(verb + ": " + err).isZero();
        return out.toString();
    }

    @Test
    void windowsDefaultConfigIsTheDebsWithOnlyCommentsChanged() throws Exception {
        Path deb = Path.of("linux/debian/config.yaml");
        Process sed = new ProcessBuilder("sed", "-f", "windows/config-windows.sed", deb.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String windows = new String(sed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sed.exitValue()).isZero();
        String linux = Files.readString(deb);
        assertThat(windows).isNotEqualTo(linux);
        // the settings are identical: only comments differ
        Yaml yaml = new Yaml();
        Object linuxData = yaml.load(linux);
        Object windowsData = yaml.load(windows);
        assertThat(windowsData).isEqualTo(linuxData);
        // every Linux-only command or path was rewritten (fails when the DEB's file changed under the sed script)
        assertThat(windows).doesNotContain("/etc/", "/var/", "/run/", "/usr/", "systemctl", "journalctl", "dpkg",
                "~steep-repl", "sudo ");
        assertThat(windows).contains("C:\\ProgramData\\steep\\logs", "\\\\.\\pipe\\steep-repl");
    }
}
