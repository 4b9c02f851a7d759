package io.steep.repl.ipc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Jackson's tree model ({@link JsonNode}) read and written with jackson-core's streaming parser and generator
 * alone, without an {@code ObjectMapper}.
 *
 * <p>Why: the daemon's steady work — IPC requests and answers, {@code /health}, the audit spool — is all trees, and
 * an {@code ObjectMapper} is ~500 classes of data binding (serialiser and deserialiser factories, introspection,
 * the time module) that a daemon using only trees never needs. Every class a start loads lands in the AOT cache and
 * stays resident, so keeping the mapper off the daemon's start and idle paths keeps them out of its memory
 * (docs/benchmarks.md). Binding records still goes through {@link IpcJson#mapper()}, loaded when first asked.
 *
 * <p>The trees are the ones {@code ObjectMapper.readTree} makes with default settings (ints as int, long or big
 * integer nodes by size, other numbers as doubles, the last of duplicate keys wins, empty input a missing node) and
 * the bytes the ones {@code writeValueAsBytes} writes ({@code JsonTreesTest} holds both to Jackson's). Unlike a
 * default mapper, anything after the value is an error: a line holds one value.
 */
public final class JsonTrees {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A shared buffer pool: the callers are virtual threads and event loops, for which per-thread pools do nothing. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();

    private JsonTrees() {
    }

    /** Parses one JSON value; a parse error names the problem and its column (a {@code JsonProcessingException}). */
    public static JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readAll(p);
        }
    }

    public static JsonNode read(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readAll(p);
        }
    }

    private static JsonNode readAll(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode value = value(p, first);
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new JsonParseException(p, "Trailing token (" + after + ") after the JSON value: one value is allowed");
        }
        return value;
    }

    /** The value starting at {@code t}; the parser's nesting limit bounds the recursion. */
    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                    o.set(field, value(p, p.nextToken()));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                    a.add(value(p, x));
                }
                yield a;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new JsonParseException(p, "Unexpected token (" + t + ")");
        };
    }

    /** Compact UTF-8 JSON, as {@code ObjectMapper.writeValueAsBytes} writes the tree. */
    public static byte[] bytes(JsonNode tree) {
        return encode(tree, false, false);
    }

    /** {@link #bytes} and a {@code \n}, in one buffer: a line of the IPC protocol or the audit spool. */
    public static byte[] line(JsonNode tree) {
        return encode(tree, false, true);
    }

    public static String string(JsonNode tree) {
        return new String(bytes(tree), StandardCharsets.UTF_8);
    }

    /** Indented for people, as {@code ObjectMapper}'s {@code INDENT_OUTPUT} writes it (the CLI's {@code --json}). */
    public static String pretty(JsonNode tree) {
        return new String(encode(tree, true, false), StandardCharsets.UTF_8);
    }

    private static byte[] encode(JsonNode tree, boolean pretty, boolean newline) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a JSON tree to memory", e);
        }
        if (newline) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode x : n) {
                    write(g, x);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            case BINARY -> g.writeBinary(n.binaryValue());
            // a POJO node needs data binding, a missing node is no value: neither is ever built for the wire
            case POJO, MISSING -> throw new IllegalArgumentException("not writable without data binding: " + n.getNodeType());
        }
    }

    /**
     * A tree of JSON-like Java values: maps (keys as text), collections, text, numbers, booleans, null, and trees
     * as they are; anything else as its {@code toString()}.
     */
    public static JsonNode valueOf(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case JsonNode n -> n;
            case String s -> NODES.textNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Short s -> NODES.numberNode(s);
            case Double d -> NODES.numberNode(d);
            case Float f -> NODES.numberNode(f);
            case BigInteger b -> NODES.numberNode(b);
            case BigDecimal b -> NODES.numberNode(b);
            case Map<?, ?> m -> {
                ObjectNode o = NODES.objectNode();
                m.forEach((k, x) -> o.set(String.valueOf(k), valueOf(x)));
                yield o;
            }
            case Collection<?> c -> {
                ArrayNode a = NODES.arrayNode();
                c.forEach(x -> a.add(valueOf(x)));
                yield a;
            }
            default -> NODES.textNode(v.toString());
        };
    }
}
