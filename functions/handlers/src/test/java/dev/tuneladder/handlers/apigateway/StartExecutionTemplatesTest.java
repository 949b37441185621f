package dev.tuneladder.handlers.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.handlers.RequestSchemas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The StartExecution request template: the rendered call must parse as JSON, name the run after the
 * Idempotency-Key (or the request id), and carry the state machine's own input shape, which the statemachines
 * module executes from the same sample files.
 */
class StartExecutionTemplatesTest {

    static final String REQUEST = "start-execution.request.vtl";
    static final String ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:tuneladder-evaluation";
    static final String REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
    static final String EVALUATIONS = "/v1/evaluations";
    static final String SPLITS = "/v1/datasets/{dataset}/splits";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path SAMPLES = Path.of("../../test-events/statemachines");

    private final MappingTemplates templates = new MappingTemplates();
    private final RequestSchemas schemas = new RequestSchemas();

    @ParameterizedTest
    @CsvSource({
        "evaluation-inline.json, evaluation-request.json, /v1/evaluations",
        "evaluation-s3.json, evaluation-request.json, /v1/evaluations",
        "evaluation-model.json, evaluation-request.json, /v1/evaluations",
        "fine-tuning.json, fine-tuning-request.json, /v1/fine-tuning-jobs",
        "sampling.json, split-request.json, /v1/datasets/{dataset}/splits"})
    void request_sampleBody_rendersSampleInput(String sample, String schema, String resourcePath)
            throws IOException {
        ObjectNode expected = (ObjectNode) MAPPER.readTree(SAMPLES.resolve(sample).toFile());
        ObjectNode body = expected.deepCopy();
        body.remove("runId");
        Map<String, String> path = new HashMap<>();
        if (resourcePath.equals(SPLITS)) {
            assertThat(expected.at("/dataset/key").asText()).isEqualTo("datasets/banking77/interactions.jsonl");
            body.remove("dataset");
            path.put("dataset", "banking77");
        }
        assertThat(schemas.schema(schema).validate(body)).as(sample + " without runId against " + schema)
                .isEmpty();

        JsonNode call = renderRequest(body.toString(), path,
                Map.of("Idempotency-Key", expected.get("runId").asText()), resourcePath);

        assertThat(call.get("stateMachineArn").asText()).isEqualTo(ARN);
        assertThat(call.get("name").asText()).isEqualTo(expected.get("runId").asText());
        assertThat(input(call)).isEqualTo(expected);
    }

    @Test
    void fineTuningSchema_candidatePredictions_invalid() throws IOException {
        ObjectNode body = (ObjectNode) MAPPER.readTree(SAMPLES.resolve("fine-tuning.json").toFile());
        body.remove("runId");
        ObjectNode withPrediction = body.deepCopy();
        ((ObjectNode) withPrediction.at("/evaluation/items/0")).putObject("prediction").put("id", "b77-0001");
        ObjectNode withModel = body.deepCopy();
        ((ObjectNode) withModel.at("/evaluation/evaluation")).put("modelId", "amazon.nova-micro-v1:0");

        assertThat(schemas.schema("fine-tuning-request.json").validate(body)).isEmpty();
        assertThat(schemas.schema("fine-tuning-request.json").validate(withPrediction)).isNotEmpty();
        assertThat(schemas.schema("fine-tuning-request.json").validate(withModel)).isNotEmpty();
    }

    @Test
    void request_noIdempotencyKey_usesRequestId() throws IOException {
        JsonNode call = renderRequest(evaluationBody().toString(), Map.of(), Map.of(), EVALUATIONS);

        assertThat(call.get("name").asText()).isEqualTo(REQUEST_ID);
        assertThat(input(call).get("runId").asText()).isEqualTo(REQUEST_ID);
    }

    @Test
    void request_lowerCaseHeader_isUsed() throws IOException {
        JsonNode call = renderRequest(evaluationBody().toString(), Map.of(),
                Map.of("idempotency-key", "retry-me_01"), EVALUATIONS);

        assertThat(call.get("name").asText()).isEqualTo("retry-me_01");
        assertThat(input(call).get("runId").asText()).isEqualTo("retry-me_01");
    }

    @Test
    void request_hardText_reachesInputUnchanged() throws IOException {
        String hard = "He said \"it's broken\" \\ C:\\tmp\\n\nnext line\ttab, caf\u00e9 \u65e5\u672c\u8a9e"
                + " \ud83d\ude00 </script> \u2028 end";
        ObjectNode body = evaluationBody();
        ObjectNode interaction = ((ObjectNode) body.withArray("items").get(0)).with("interaction");
        interaction.putArray("turns").addObject().put("role", "user").put("content", hard);
        interaction.put("intent", "o'clock");
        assertThat(schemas.schema("evaluation-request.json").validate(body)).isEmpty();

        JsonNode call = renderRequest(body.toString(), Map.of(), Map.of("Idempotency-Key", "hard-text"),
                EVALUATIONS);

        JsonNode input = input(call);
        assertThat(input.at("/items/0/interaction/turns/0/content").asText()).isEqualTo(hard);
        assertThat(input.at("/items/0/interaction/intent").asText()).isEqualTo("o'clock");
        ObjectNode expected = body.deepCopy();
        expected.put("runId", "hard-text");
        assertThat(input).isEqualTo(expected);
    }

    @Test
    void request_requiredFieldsOnly_render() throws IOException {
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("dataset").put("key", "datasets/b77/eval.jsonl");
        body.putObject("evaluation").put("stage", "planner");
        assertThat(schemas.schema("evaluation-request.json").validate(body)).isEmpty();

        JsonNode input = input(renderRequest(body.toString(), Map.of(), Map.of(), EVALUATIONS));

        assertThat(input.size()).isEqualTo(3);
        assertThat(input.at("/dataset/key").asText()).isEqualTo("datasets/b77/eval.jsonl");
        assertThat(input.at("/evaluation/stage").asText()).isEqualTo("planner");
    }

    @Test
    void request_emptyBody_givesRunIdOnly() throws IOException {
        JsonNode input = input(renderRequest("{}", Map.of(), Map.of(), EVALUATIONS));

        assertThat(input).isEqualTo(MAPPER.createObjectNode().put("runId", REQUEST_ID));
    }

    @Test
    void request_datasetWithQuotes_isEscaped() throws IOException {
        ObjectNode body = (ObjectNode) MAPPER.readTree(SAMPLES.resolve("sampling.json").toFile());
        body.remove("runId");
        body.remove("dataset");

        JsonNode input = input(renderRequest(body.toString(), Map.of("dataset", "o'neil \"q\""), Map.of(),
                SPLITS));

        assertThat(input.at("/dataset/key").asText()).isEqualTo("datasets/o'neil \"q\"/interactions.jsonl");
        assertThat(input.get("config")).isEqualTo(body.get("config"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "run.2026-01-15",
        "has space",
        "quote\"and'apostrophe",
        "caf\u00e9",
        "a123456789a123456789a123456789a123456789a123456789a123456789a123456789a123456789x"})
    void request_keyOutsidePattern_getsInvalidName(String key) throws IOException {
        JsonNode call = renderRequest(evaluationBody().toString(), Map.of(), Map.of("Idempotency-Key", key),
                EVALUATIONS);

        // Whitespace is one of the characters that StartExecution documents as invalid in a name.
        assertThat(call.get("name").asText()).isNotEqualTo(key).containsPattern("\\s");
        assertThat(input(call).get("runId").asText()).isEqualTo(key);
    }

    @Test
    void request_eightyCharacterKey_isName() throws IOException {
        String key = "k".repeat(80);

        JsonNode call = renderRequest(evaluationBody().toString(), Map.of(), Map.of("Idempotency-Key", key),
                EVALUATIONS);

        assertThat(call.get("name").asText()).isEqualTo(key);
    }

    /** Returns a valid evaluation body: the inline sample without its runId. */
    static ObjectNode evaluationBody() throws IOException {
        ObjectNode body = (ObjectNode) MAPPER.readTree(SAMPLES.resolve("evaluation-inline.json").toFile());
        body.remove("runId");
        return body;
    }

    private JsonNode renderRequest(String body, Map<String, String> path, Map<String, String> headers,
            String resourcePath) throws IOException {
        Map<String, String> allHeaders = new HashMap<>(headers);
        allHeaders.put("Content-Type", "application/json");
        MappingTemplates.Rendered rendered = templates.render(REQUEST, Map.of("StateMachineArn", ARN),
                new InputVariable(body, path, allHeaders), REQUEST_ID, resourcePath);
        assertThat(rendered.statusOverride()).isNull();
        return MAPPER.readTree(rendered.body());
    }

    /** Parses StartExecution's input, which is JSON inside a JSON string. */
    private static JsonNode input(JsonNode call) throws IOException {
        assertThat(call.get("input").isTextual()).as("input is a string").isTrue();
        return MAPPER.readTree(call.get("input").asText());
    }
}
