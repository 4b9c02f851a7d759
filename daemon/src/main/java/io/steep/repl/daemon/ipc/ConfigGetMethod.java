package io.steep.repl.daemon.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.steep.repl.ipc.IpcException;
import io.steep.repl.ipc.IpcJson;
import io.steep.repl.ipc.IpcMethods;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code config.get}: the effective configuration, with every secret replaced by {@value #REDACTED}. The
 * redaction happens here, whatever the supplier returns, so a new secret field added to the config later is
 * still covered if its name says what it is (password, secret, token, passphrase, private key, credential).
 */
public record ConfigGetMethod(Supplier<?> config) implements IpcMethod {

    public static final String REDACTED = "<redacted>";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|passwd|secret|token|passphrase|private_?key|credential).*");

    @Override
    public String name() {
        return IpcMethods.CONFIG_GET;
    }

    @Override
    public Object handle(JsonNode params, CallContext ctx) throws IpcException {
        JsonNode tree = IpcJson.tree(config.get()).deepCopy();
        redact(tree);
        return tree;
    }

    /** Replaces secret values in place (keys matched case-insensitively, at any depth). */
    static void redact(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (SECRET.matcher(e.getKey()).matches() && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())) {
                    e.setValue(TextNode.valueOf(REDACTED));
                } else {
                    redact(v);
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(ConfigGetMethod::redact);
        }
    }
}
