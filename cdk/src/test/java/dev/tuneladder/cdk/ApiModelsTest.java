package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiModelsTest {

    private final ApiModels repositoryModels = new ApiModels(TestStacks.REPOSITORY_ROOT.resolve("api/schemas"));

    @Test
    void referencedSchemaIsInlined() {
        Map<String, Object> schema = repositoryModels.inlined("judgment-request.json");

        assertThat(schema.toString()).doesNotContain("$ref").doesNotContain("rubric.json");
        assertThat(schema.get("$schema")).isEqualTo("http://json-schema.org/draft-04/schema#");
        Map<?, ?> rubric = (Map<?, ?>) ((Map<?, ?>) schema.get("properties")).get("rubric");
        assertThat(rubric.containsKey("properties")).isTrue();
        assertThat(rubric.containsKey("$schema")).isFalse();
    }

    @Test
    void modelNameComesFromTitle() {
        assertThat(repositoryModels.modelName("fewshot-upsert-request.json")).matches("[A-Za-z0-9]+");
    }

    @Test
    void cycleIsRejected(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("a.json"), "{\"title\":\"A\",\"properties\":{\"b\":{\"$ref\":\"b.json\"}}}");
        Files.writeString(folder.resolve("b.json"), "{\"title\":\"B\",\"items\":[{\"$ref\":\"a.json\"}]}");

        assertThatThrownBy(() -> new ApiModels(folder).inlined("a.json"))
                .hasMessageContaining("cycle").hasMessageContaining("a.json");
    }

    @Test
    void pointerReferenceIsRejected(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("a.json"), "{\"title\":\"A\",\"properties\":{\"b\":{\"$ref\":\"#/x\"}}}");

        assertThatThrownBy(() -> new ApiModels(folder).inlined("a.json"))
                .hasMessageContaining("\"$ref\": \"#/x\"").hasMessageContaining("sibling files");
    }
}
