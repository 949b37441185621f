package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The OpenAPI document, its draft-4 schemas, and the sample events of the API routes. */
class ApiContractTest {

    private static final Path API = Path.of("../../api");
    private static final String DRAFT_4 = "http://json-schema.org/draft-04/schema#";

    /** Keywords that API Gateway models (draft 4) do not accept. */
    private static final Set<String> NEWER_KEYWORDS = Set.of("const", "examples", "contains", "propertyNames",
            "if", "then", "else", "$defs", "dependentRequired", "dependentSchemas", "unevaluatedProperties",
            "prefixItems", "$comment", "readOnly", "writeOnly", "contentMediaType", "contentEncoding");

    private final RequestSchemas schemas = new RequestSchemas();

    @Test
    void everySchema_declaresDraft4_usesOnlyDraft4Keywords_andParses() throws IOException {
        List<String> files = schemaFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (String file : files) {
            JsonNode schema = TestSupport.body(Files.readString(API.resolve("schemas").resolve(file)));
            assertThat(schema.path("$schema").asText()).as(file).isEqualTo(DRAFT_4);
            assertThat(keywordsIn(schema)).as(file + " keywords").doesNotContainAnyElementsOf(NEWER_KEYWORDS);
            Schema parsed = schemas.schema(file);
            assertThat(parsed).as(file).isNotNull();
        }
    }

    @Test
    void openApi_everyRefResolvesToAFile_andEveryDesignRouteIsDescribed() throws IOException {
        JsonNode document = TestSupport.body(Files.readString(API.resolve("openapi.json")));
        assertThat(document.get("openapi").asText()).startsWith("3.0");
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            if (ref.startsWith("#/")) {
                assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            } else {
                assertThat(API.resolve(ref)).as(ref).isRegularFile();
            }
        }
        for (String file : schemaFiles()) {
            List<String> inner = new ArrayList<>();
            collectRefs(TestSupport.body(Files.readString(API.resolve("schemas").resolve(file))), inner);
            for (String ref : inner) {
                assertThat(API.resolve("schemas").resolve(ref)).as(file + " $ref " + ref).isRegularFile();
            }
        }
        assertThat(iterable(document.get("paths").fieldNames())).containsExactlyInAnyOrder(
                "/v1/datasets/{dataset}/splits", "/v1/datasets/{dataset}/splits/{runId}", "/v1/evaluations", "/v1/evaluations/{runId}", "/v1/judgments",
                "/v1/fewshot/{index}/examples", "/v1/fewshot/{index}/search", "/v1/prompt-optimizations",
                "/v1/trajectory-tunings", "/v1/fine-tuning-jobs", "/v1/fine-tuning-jobs/{runId}");
        assertThat(document.at("/paths/~1v1~1evaluations/post/responses/202/content/application~1json/schema/$ref")
                .asText()).isEqualTo("schemas/run-accepted.json");
        assertThat(document.at("/components/parameters/IdempotencyKey/name").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void sampleEvents_ofEveryApiRoute_validateAgainstTheirSchemas() {
        Map<String, String> schemaByEvent = Map.of(
                "fewshot-search.json", FewShotSearchHandler.SCHEMA,
                "fewshot-upsert.json", FewShotUpsertHandler.SCHEMA,
                "judgment.json", "judgment-request.json");
        schemaByEvent.forEach((event, schema) ->
                schemas.validate(schema, TestSupport.body(TestSupport.apiEvent(event).getBody())));
    }

    @Test
    void validate_missingRequiredNestedField_namesItsPath() {
        JsonNode body = TestSupport.body(TestSupport.apiEvent("judgment.json").getBody());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("rubric")).remove("criteria");

        try {
            schemas.validate("judgment-request.json", body);
            throw new AssertionError("expected a validation failure");
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.field()).isEqualTo("rubric.criteria");
            assertThat(e.getMessage()).contains("rubric.criteria").contains("judgment-request.json");
        }
    }

    private static List<String> schemaFiles() throws IOException {
        try (Stream<Path> files = Files.list(API.resolve("schemas"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
    }

    private static Set<String> keywordsIn(JsonNode node) {
        Set<String> keys = new java.util.HashSet<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(entry -> {
                keys.add(entry.getKey());
                if (!entry.getKey().equals("properties")) {
                    keys.addAll(keywordsIn(entry.getValue()));
                } else {
                    entry.getValue().forEach(child -> keys.addAll(keywordsIn(child)));
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> keys.addAll(keywordsIn(child)));
        }
        return keys;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(entry -> {
                if (entry.getKey().equals("$ref")) {
                    refs.add(entry.getValue().asText());
                } else {
                    collectRefs(entry.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
