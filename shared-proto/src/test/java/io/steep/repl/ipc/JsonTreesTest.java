package io.steep.repl.ipc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link JsonTrees} against Jackson's {@code ObjectMapper} with default settings (plus trailing tokens refused): the
 * same trees from the same text, the same errors for bad text, the same bytes from the same tree.
 */
class JsonTreesTest {

    private static final ObjectMapper JACKSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":\"1\",\"method\":\"status.get\",\"params\":{}}",
            "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"é \\u2028 \\\" \\\\ \\n 😀\"}}",
            "[0,-1,2147483647,2147483648,-2147483648,-2147483649,9223372036854775807,9223372036854775808,-9223372036854775809]",
            "[1e3,1.5,-0.0,0.1,1E-300,1e308,123456789012345678901234567890.5,3.141592653589793]",
            "{\"a\":1,\"a\":{\"b\":2},\"c\":[],\"a\":\"last\"}",
            "  \"just text\"  ", "1", "null", "true", "[]", "{}", "[[[[[[[[[[{\"deep\":[[[]]]}]]]]]]]]]]",
            "{\"\":\"empty key\",\"k\":\"\"}",
    })
    void readsTheTreesJacksonReads(String json) throws Exception {
        JsonNode ours = JsonTrees.read(json.getBytes(StandardCharsets.UTF_8));
        JsonNode theirs = JACKSON.readTree(json.getBytes(StandardCharsets.UTF_8));
        assertThat(ours).isEqualTo(theirs);
        assertThat(JsonTrees.read(json)).isEqualTo(theirs);
        // node classes too (IntNode, LongNode, BigIntegerNode, DoubleNode): equals alone would not tell them apart
        assertThat(classes(ours)).isEqualTo(classes(theirs));
        assertThat(JsonTrees.bytes(ours)).isEqualTo(JACKSON.writeValueAsBytes(theirs));
        assertThat(new String(JsonTrees.line(ours), StandardCharsets.UTF_8))
                .isEqualTo(new String(JACKSON.writeValueAsBytes(theirs), StandardCharsets.UTF_8) + "\n");
        assertThat(JsonTrees.read(JsonTrees.bytes(ours))).isEqualTo(ours);
    }

    private static List<String> classes(JsonNode n) {
        List<String> out = new ArrayList<>();
        out.add(n.getClass().getSimpleName());
        n.forEach(x -> out.addAll(classes(x)));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptyInputIsAMissingNodeAsForJackson(String json) throws Exception {
        JsonNode ours = JsonTrees.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(ours).isEqualTo(JACKSON.readTree(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(ours.isMissingNode()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[1,]", "{\"a\" 1}", "nul", "'x'", "{\"a\":1} x", "1 2", "{} {}", "[1]]",
            "{\"a\":tru}", "\"unterminated", "{\"a\":1,}", "NaN", "01", "\u0000"})
    void refusesWhatJacksonRefusesWithAJacksonError(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JACKSON.readTree(bytes)).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonTrees.read(bytes)).isInstanceOf(JsonProcessingException.class)
                .satisfies(e -> assertThat(((JsonProcessingException) e).getLocation()).isNotNull());
    }

    @Test
    void refusesInvalidUtf8AndTooDeepNesting() {
        byte[] badUtf8 = {'"', (byte) 0xC3, (byte) 0x28, '"'};
        assertThatThrownBy(() -> JsonTrees.read(badUtf8)).isInstanceOf(JsonProcessingException.class);
        String deep = "[".repeat(1001) + "]".repeat(1001);
        assertThatThrownBy(() -> JACKSON.readTree(deep)).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonTrees.read(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void theDeepestNestingAllowedParsesOnASmallStack() throws Exception {
        // read() recurses once per level; the parser stops at 1 000 levels. The daemon's threads have 512 KB
        // stacks (-Xss512k): half of that is enough for the deepest tree a line may hold.
        String deepest = "[".repeat(1000) + "]".repeat(1000);
        JsonNode[] parsed = new JsonNode[1];
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                parsed[0] = JsonTrees.read(deepest);
                JsonTrees.bytes(parsed[0]);
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        assertThat(failed[0]).isNull();
        assertThat(parsed[0]).isEqualTo(JACKSON.readTree(deepest));
    }

    @Test
    void trailingTokensAreNamed() {
        assertThatThrownBy(() -> JsonTrees.read("{\"id\":\"k\"} {\"id\":\"l\"}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Trailing token");
    }

    @Test
    void writesTreesOfEveryNodeKindAsJacksonDoes() throws Exception {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("int", 7).put("long", 9_000_000_000L).put("short", (short) 3).put("float", 1.25f).put("double", 0.1)
                .put("bigint", new BigInteger("123456789012345678901234567890"))
                .put("decimal", new BigDecimal("1.10")).put("text", "ünïcode \t \u0001").put("yes", true)
                .putNull("nothing");
        n.putArray("list").add(1).addNull().addObject().put("x", "y");
        n.put("binary", new byte[] {1, 2, 3});
        assertThat(JsonTrees.bytes(n)).isEqualTo(JACKSON.writeValueAsBytes(n));
        assertThat(JsonTrees.string(n)).isEqualTo(JACKSON.writeValueAsString(n));
        assertThat(JsonTrees.pretty(n)).isEqualTo(JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(n))
                .isEqualTo(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(n))
                .contains("\n  \"int\" : 7,");
        assertThatThrownBy(() -> JsonTrees.bytes(JsonNodeFactory.instance.pojoNode(new Object())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesBecomeTheTreesJacksonMakesOfThem() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "x");
        m.put("i", 1);
        m.put("l", 2L);
        m.put("d", 0.5);
        m.put("b", false);
        m.put("n", null);
        m.put("list", List.of(1, "two", Map.of("k", true)));
        m.put("big", new BigDecimal("3.5"));
        assertThat(JsonTrees.valueOf(m)).isEqualTo(JACKSON.valueToTree(m));
        JsonNode tree = JsonNodeFactory.instance.textNode("as is");
        assertThat(JsonTrees.valueOf(tree)).isSameAs(tree);
        assertThat(JsonTrees.valueOf(Map.of(1, new StringBuilder("sb"))).get("1").asText()).isEqualTo("sb");
    }
}
