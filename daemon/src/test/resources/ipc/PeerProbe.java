import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Run as another user (setpriv) by IpcPeerCredentialsTest, with the JDK only (it cannot read the build's jars):
 * PeerProbe SOCKET METHOD... sends one request per method, prints every line the daemon sends, then "EOF".
 */
public class PeerProbe {
    public static void main(String[] args) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(args[0]));
            } catch (Exception e) {
                System.out.println("CONNECT-FAILED " + e);
                return;
            }
            OutputStream out = Channels.newOutputStream(ch);
            StringBuilder req = new StringBuilder();
            for (int i = 1; i < args.length; i++) {
                req.append("{\"id\":\"").append(i).append("\",\"method\":\"").append(args[i]).append("\"}\n");
            }
            try {
                out.write(req.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (Exception e) {
                System.out.println("WRITE-FAILED " + e);
            }
            InputStream in = Channels.newInputStream(ch);
            StringBuilder line = new StringBuilder();
            int answers = 0;
            int b;
            try {
                while (answers < args.length - 1 && (b = in.read()) >= 0) {
                    if (b == '\n') {
                        System.out.println("LINE " + line);
                        line.setLength(0);
                        answers++;
                    } else {
                        line.append((char) b);
                    }
                }
            } catch (Exception e) {
                System.out.println("READ-FAILED " + e);
            }
            System.out.println(answers < args.length - 1 ? "EOF" : "DONE");
        }
    }
}
