package io.steep.repl.tray;

import io.steep.repl.tray.testing.FakeDaemon;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateWizardUiTest extends UiTestBase {

    void open(FxRobot robot) {
        waitText(robot, "#daemonVersion", "0.1.0");
        robot.clickOn("#openCertWizard");
        waitFx("wizard shown", () -> robot.lookup("#runTask").tryQuery().isPresent());
    }

    @Test
    void refusesToReplaceTheCaUnlessTheUserConfirms(FxRobot robot) {
        open(robot);
        robot.clickOn("#runTask");
        waitText(robot, "#confirmReplaceText", "a CA already exists in /etc/steep/certs");
        assertThat(text(robot, "#confirmReplaceText")).contains("every certificate it signed untrusted");
        robot.clickOn("#keepCa");
        waitText(robot, "#certResultTitle", "The existing CA was kept");
        assertThat(daemon.calls().stream().filter(c -> c.method().equals("certs.init_ca")))
                .noneMatch(c -> c.params().path("force").asBoolean());

        robot.clickOn("#runTask");
        waitFx("confirmation again", () -> robot.lookup("#confirmReplace").tryQuery().isPresent());
        robot.clickOn("#confirmReplace");
        waitText(robot, "#certResultTitle", "Done");
        waitAnyText(robot, "#certResult .label", "SHA-256 fingerprint: " + FakeDaemon.FP);
        waitAnyText(robot, "#certResult .label", "Subject: CN=steep-repl cluster CA");
        assertThat(daemon.last("certs.init_ca").params().path("force").asBoolean()).isTrue();
        assertThat(daemon.last("certs.init_ca").params().path("days").asInt()).isEqualTo(3650);
        // prefilled with the daemon's certificate directory (certs.status "dir")
        assertThat(daemon.last("certs.init_ca").params().path("dir").asText()).isEqualTo(FakeDaemon.CERTS_DIR);
    }

    @Test
    void issuesThisNodesCertificateWithItsHostsPrefilled(FxRobot robot) {
        open(robot);
        robot.clickOn("#issueNode");
        assertThat(text(robot, "#nodeId")).isEqualTo("node-a");
        assertThat(text(robot, "#nodeHosts")).isEqualTo("node-a.example, 10.0.1.10");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "SANs: URI:spiffe://steep-repl/node/node-a, DNS:node-a.example, IP:10.0.1.10");
        waitAnyText(robot, "#certResult .label", "Expires: ");
        waitAnyText(robot, "#certResult .label", "(365 days left)");
        waitAnyText(robot, "#certResult .label", "Private key file: /etc/steep/certs/node-key.pem");
        assertThat(daemon.last("certs.issue_node").params().path("node_id").asText()).isEqualTo("node-a");
    }

    @Test
    void exportsABundleAndSignsACsrForAnotherNode(FxRobot robot) {
        open(robot);
        robot.clickOn("#exportBundle");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "Enter the other node's id.");
        robot.clickOn("#otherNodeId").write("node-d");
        robot.clickOn("#otherHosts").write("node-d.example 10.0.4.13");
        robot.clickOn("#bundleDir").write("/tmp/bundle-node-d");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "Certificate file: /tmp/bundle-node-d/node-cert.pem");
        waitAnyText(robot, "#certResult .label", "SANs: URI:spiffe://steep-repl/node/node-d, DNS:node-d.example, IP:10.0.4.13");

        robot.clickOn("#signCsr");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "Enter the CSR file.");
        robot.clickOn("#csrFile").write("/tmp/node-d-csr.pem");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "Subject: CN=node-d");
        assertThat(daemon.last("certs.sign_csr").params().path("csr_file").asText()).isEqualTo("/tmp/node-d-csr.pem");
    }

    @Test
    void showsTheDaemonsErrorWithAHint(FxRobot robot) {
        daemon.on("certs.sign_csr", FakeDaemon.fail(io.steep.repl.ipc.IpcErrorCode.PERMISSION_DENIED, "the CA key is readable by root only"));
        open(robot);
        robot.clickOn("#signCsr");
        robot.clickOn("#csrFile").write("/tmp/x.pem");
        robot.clickOn("#csrOut"); // focus off the typed field
        robot.clickOn("#runTask");
        waitText(robot, "#certResultTitle", "Failed (PERMISSION_DENIED)");
        waitAnyText(robot, "#certResult .label", "the CA key is readable by root only");
        waitAnyText(robot, "#certResult .label", "elevated rights");
    }

    @Test
    void rejectsAnImpossibleValidityBeforeCallingTheDaemon(FxRobot robot) {
        open(robot);
        robot.clickOn("#caDays").eraseText(4).write("0");
        long calls = daemon.count("certs.init_ca");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "Validity must be a number of days from 1 to 36500");
        assertThat(daemon.count("certs.init_ca")).isEqualTo(calls);
    }

    @Test
    void relativePathsAreTakenFromTheHomeDirectoryBecauseTheDaemonRefusesThem(FxRobot robot) {
        String home = System.getProperty("user.home");
        open(robot);
        robot.clickOn("#exportBundle");
        robot.clickOn("#otherNodeId").write("node-e");
        robot.clickOn("#otherHosts").write("node-e.example");
        robot.clickOn("#bundleDir").write("bundles/node-e");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "Certificate file: " + home + "/bundles/node-e/node-cert.pem");
        assertThat(daemon.last("certs.issue_node").params().path("out_dir").asText()).isEqualTo(home + "/bundles/node-e");

        robot.clickOn("#signCsr");
        robot.clickOn("#csrFile").write("~/in/node-e-csr.pem");
        robot.clickOn("#runTask");
        waitAnyText(robot, "#certResult .label", "Certificate file: " + home + "/in/node-e-cert.pem");
        assertThat(daemon.last("certs.sign_csr").params().path("csr_file").asText()).isEqualTo(home + "/in/node-e-csr.pem");
    }

    @Test
    void anExistingCaDirectoryIsCheckedAndUsedForTheNextSteps(FxRobot robot) {
        open(robot);
        robot.clickOn("#existingCa");
        robot.clickOn("#caDir").write("/srv/cluster-ca");
        robot.clickOn("#runTask");
        waitText(robot, "#certResultTitle", "CA found");
        waitAnyText(robot, "#certResult .label", "File: /srv/cluster-ca/ca-cert.pem");
        assertThat(daemon.last("certs.status").params().path("dir").asText()).isEqualTo("/srv/cluster-ca");

        robot.clickOn("#issueNode");
        robot.clickOn("#runTask");
        waitText(robot, "#certResultTitle", "Done");
        assertThat(daemon.last("certs.issue_node").params().path("ca_dir").asText()).isEqualTo("/srv/cluster-ca");

        // a directory without a CA is said so, not shown as "found"
        daemon.on("certs.status", p -> FakeDaemon.json().put("dir", p.path("dir").asText()).put("exists", true)
                .putNull("ca").putNull("node").set("certificates", FakeDaemon.json().arrayNode()));
        robot.clickOn("#existingCa");
        robot.clickOn("#runTask");
        waitText(robot, "#certResultTitle", "No CA in /srv/cluster-ca");
        waitAnyText(robot, "#certResult .label", "Copy ca-cert.pem and ca-key.pem");
    }
}
