package dev.tuneladder.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.model.ToolSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BfclToolSchemasTest {

    private static final Path BFCL = Path.of("../../datasets/bfcl/v3_core");
    private static final Set<String> JSON_SCHEMA_TYPES =
            Set.of("object", "array", "string", "integer", "number", "boolean", "null");
    private static final Set<String> KEPT_KEYWORDS = Set.of("type", "description", "properties", "required",
            "items", "enum", "default", "format", "minimum", "maximum");

    @ParameterizedTest
    @ValueSource(strings = {"simple", "multiple", "parallel", "parallel_multiple"})
    void everyFunctionDocumentConvertsToValidSchema(String category) throws IOException {
        List<String> lines = Files.readAllLines(BFCL.resolve("BFCL_v3_" + category + ".json"), StandardCharsets.UTF_8);
        int documents = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row = Json.mapper().readTree(line);
            List<JsonNode> functions = new ArrayList<>();
            row.get("function").forEach(functions::add);

            ToolSet tools = BfclToolSchemas.toToolSet(functions);

            assertThat(tools.specs()).hasSameSizeAs(functions);
            for (int i = 0; i < functions.size(); i++) {
                ToolSpec spec = tools.specs().get(i);
                String where = row.get("id").asText() + " / " + functions.get(i).get("name").asText();
                assertThat(tools.originalName(spec.name())).as(where).isEqualTo(functions.get(i).get("name").asText());
                assertThat(spec.name()).as(where).matches("[a-zA-Z0-9_-]{1,64}");
                ObjectNode schema = spec.inputSchema();
                assertThat(schema.path("type").asText()).as(where).isEqualTo("object");
                assertThat(schema.get("properties")).as(where).isNotNull();
                assertThat(schema.get("properties").isObject()).as(where).isTrue();
                assertThat(schema.get("required").isArray()).as(where).isTrue();
                checkStructure(schema, where);
                documents++;
            }
        }
        assertThat(documents).isGreaterThanOrEqualTo(lines.size());
    }

    /** Checks a schema node recursively: known types, only kept keywords, required names among the properties. */
    private static void checkStructure(JsonNode schema, String where) {
        Iterator<String> keywords = schema.fieldNames();
        while (keywords.hasNext()) {
            assertThat(KEPT_KEYWORDS).as(where).contains(keywords.next());
        }
        if (schema.has("type")) {
            assertThat(JSON_SCHEMA_TYPES).as(where).contains(schema.get("type").asText());
        }
        if (schema.has("required")) {
            for (JsonNode name : schema.get("required")) {
                assertThat(schema.get("properties").has(name.asText())).as(where + " requires " + name).isTrue();
            }
        }
        if (schema.has("properties")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                checkStructure(property.getValue(), where + "." + property.getKey());
            }
        }
        if (schema.has("items")) {
            checkStructure(schema.get("items"), where + "[]");
        }
    }

    @Test
    void toToolSpecMapsPythonTypes() throws IOException {
        JsonNode document = Json.mapper().readTree("""
                {"name": "geo.distance", "description": "Distance.", "parameters": {"type": "dict",
                 "properties": {
                   "coord": {"type": "tuple", "items": {"type": "float"}, "description": "lat, lon"},
                   "data": {"type": "any", "description": "anything"},
                   "unit": {"type": "string", "enum": ["km", "mi"], "default": "km", "optional": true},
                   "filter": {"type": "dict", "properties": {"max": {"type": "integer", "maximum": 400}},
                              "required": ["max"]}},
                 "required": ["coord"]}}
                """);

        ObjectNode schema = BfclToolSchemas.toToolSpec(document, 0).inputSchema();

        assertThat(schema.toString()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"coord\":{\"type\":\"array\",\"description\":\"lat, lon\",\"items\":{\"type\":\"number\"}},"
                + "\"data\":{\"description\":\"anything\"},"
                + "\"unit\":{\"type\":\"string\",\"enum\":[\"km\",\"mi\"],\"default\":\"km\"},"
                + "\"filter\":{\"type\":\"object\",\"properties\":{\"max\":{\"type\":\"integer\",\"maximum\":400}},"
                + "\"required\":[\"max\"]}},"
                + "\"required\":[\"coord\"]}");
    }

    @Test
    void toToolSetMapsDottedNamesReversibly() throws IOException {
        List<JsonNode> documents = List.of(
                Json.mapper().readTree("{\"name\": \"math.factorial\", \"parameters\": {\"type\": \"dict\","
                        + " \"properties\": {}, \"required\": []}}"),
                Json.mapper().readTree("{\"name\": \"math_factorial\"}"));

        ToolSet tools = BfclToolSchemas.toToolSet(documents);

        assertThat(tools.specs()).extracting(ToolSpec::name).containsExactly("math_factorial", "math_factorial_2");
        assertThat(tools.originalName("math_factorial")).isEqualTo("math.factorial");
        assertThat(tools.originalName("math_factorial_2")).isEqualTo("math_factorial");
        assertThat(tools.toolName("math.factorial")).isEqualTo("math_factorial");
        assertThat(tools.originalName("math.factorial")).isNull();
    }

    @Test
    void providerNameCutsLongNames() {
        String name = "a.".repeat(40);

        assertThat(ToolSet.providerName(name)).hasSize(64).matches("[a_]+");
    }

    @Test
    void toToolSpecWithoutParametersHasEmptyObject() throws IOException {
        ToolSpec spec = BfclToolSchemas.toToolSpec(Json.mapper().readTree("{\"name\": \"ping\"}"), 0);

        assertThat(spec.inputSchema().toString()).isEqualTo("{\"type\":\"object\",\"properties\":{},\"required\":[]}");
    }

    @Test
    void unknownTypeNamesFunctionAndPath() throws IOException {
        JsonNode document = Json.mapper().readTree("{\"name\": \"f\", \"parameters\": {\"type\": \"dict\","
                + " \"properties\": {\"x\": {\"type\": \"complex\"}}}}");

        assertThatThrownBy(() -> BfclToolSchemas.toToolSpec(document, 0))
                .isInstanceOf(ToolSchemaException.class)
                .hasMessageContaining("function 'f'")
                .hasMessageContaining("parameters.properties.x.type")
                .hasMessageContaining("complex");
    }

    @Test
    void requiredOutsidePropertiesGetsEmptySchema() throws IOException {
        JsonNode document = Json.mapper().readTree("{\"name\": \"f\", \"parameters\": {\"type\": \"dict\","
                + " \"properties\": {\"x\": {\"type\": \"string\"}, \"pop\": {\"type\": \"dict\","
                + " \"required\": [\"adults\"]}}, \"required\": [\"x\", \"y\"]}}");

        ObjectNode schema = BfclToolSchemas.toToolSpec(document, 0).inputSchema();

        assertThat(schema.get("properties").toString()).isEqualTo("{\"x\":{\"type\":\"string\"},"
                + "\"pop\":{\"type\":\"object\",\"properties\":{\"adults\":{}},\"required\":[\"adults\"]},"
                + "\"y\":{}}");
        assertThat(schema.get("required").toString()).isEqualTo("[\"x\",\"y\"]");
    }

    @Test
    void nonDictParametersAreRejected() throws IOException {
        JsonNode document = Json.mapper().readTree("{\"name\": \"f\", \"parameters\": {\"type\": \"string\"}}");

        assertThatThrownBy(() -> BfclToolSchemas.toToolSpec(document, 0))
                .isInstanceOf(ToolSchemaException.class)
                .hasMessageContaining("must be a dict");
    }

    @Test
    void duplicateDatasetNamesAreRejected() throws IOException {
        JsonNode document = Json.mapper().readTree("{\"name\": \"f\"}");

        assertThatThrownBy(() -> BfclToolSchemas.toToolSet(List.of(document, document)))
                .isInstanceOf(ToolSchemaException.class)
                .hasMessageContaining("two tools are named 'f'");
    }
}
