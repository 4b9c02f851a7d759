package io.steep.repl.tray;

import io.steep.repl.tray.certwizard.CertificateWizard;
import io.steep.repl.tray.extension.ExtensionInstaller;
import io.steep.repl.tray.service.InstallServiceDialog;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hidden option {@code --screenshot-tour DIR} (used by tray-ui/screenshots.sh): opens each window in turn, writes a
 * PNG of each to DIR and exits. Without a reachable daemon it writes only {@code dashboard-disconnected.png}.
 */
final class ScreenshotTour {

    private final TrayApp app;
    private final Path dir;
    private final List<Runnable> steps = new ArrayList<>();

    ScreenshotTour(TrayApp app, Path dir) {
        this.app = app;
        this.dir = dir;
    }

    void run() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Stage dash = app.dashboard().stage();
        step(() -> {
            if (!app.connection().isConnected()) {
                save(dash, "dashboard-disconnected.png");
                finish();
                return;
            }
            app.dashboard().showNodesTab();
        });
        step(() -> save(dash, "dashboard.png"));
        step(() -> app.dashboard().showAuditTab());
        step(() -> save(dash, "dashboard-audit.png"));
        CertificateWizard[] wizard = new CertificateWizard[1];
        step(() -> {
            wizard[0] = app.certificateWizard();
            wizard[0].show();
        });
        // the daemon has a CA already: the wizard asks before replacing it
        step(() -> wizard[0].stage().getScene().lookup("#runTask").fireEvent(new javafx.event.ActionEvent()));
        step(() -> dialog("Replace the cluster CA?").ifPresent(d -> save(d, "cert-wizard-ca-confirm.png")));
        step(() -> dialog("Replace the cluster CA?").ifPresent(d -> d.getScene().lookup("#confirmReplace").fireEvent(new javafx.event.ActionEvent())));
        step(() -> save(wizard[0].stage(), "cert-wizard-ca.png"));
        step(() -> wizard[0].select(CertificateWizard.Task.ISSUE_NODE));
        step(() -> wizard[0].stage().getScene().lookup("#runTask").fireEvent(new javafx.event.ActionEvent()));
        step(() -> save(wizard[0].stage(), "cert-wizard-node.png"));
        step(() -> wizard[0].select(CertificateWizard.Task.SIGN_CSR));
        step(() -> {
            ((javafx.scene.control.TextField) wizard[0].stage().getScene().lookup("#csrFile")).setText("/home/dba/node-d-csr.pem");
            wizard[0].stage().getScene().lookup("#runTask").fireEvent(new javafx.event.ActionEvent());
        });
        step(() -> save(wizard[0].stage(), "cert-wizard-csr.png"));
        step(() -> wizard[0].stage().close());
        ExtensionInstaller[] ext = new ExtensionInstaller[1];
        step(() -> {
            ext[0] = app.extensionInstaller();
            ext[0].show();
        });
        step(() -> save(ext[0].stage(), "extension-installer.png"));
        step(() -> ext[0].stage().close());
        InstallServiceDialog[] svc = new InstallServiceDialog[1];
        step(() -> {
            svc[0] = new InstallServiceDialog(app.connection(), dash);
            svc[0].show();
        });
        step(() -> svc[0].stage().getScene().lookup("#confirmInstallService").fireEvent(new javafx.event.ActionEvent()));
        step(() -> save(svc[0].stage(), "service-install.png"));
        step(this::finish);
        next(0);
    }

    private void step(Runnable r) {
        steps.add(r);
    }

    private void next(int i) {
        if (i >= steps.size()) {
            return;
        }
        // give each window time to load its data from the daemon and lay out
        PauseTransition wait = new PauseTransition(Duration.millis(i == 0 ? 2500 : 700));
        wait.setOnFinished(e -> {
            steps.get(i).run();
            next(i + 1);
        });
        wait.play();
    }

    private static java.util.Optional<Stage> dialog(String title) {
        return javafx.stage.Window.getWindows().stream().filter(w -> w instanceof Stage st && title.equals(st.getTitle()))
                .map(w -> (Stage) w).findFirst();
    }

    private void save(Stage stage, String name) {
        WritableImage image = stage.getScene().snapshot(null);
        try {
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name).toFile());
            System.out.println("screenshot " + dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void finish() {
        steps.clear();
        app.quit();
        Platform.runLater(() -> System.exit(0));
    }
}
