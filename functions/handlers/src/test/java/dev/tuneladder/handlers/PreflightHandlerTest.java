package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import java.nio.charset.StandardCharsets;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The preflight task over model folders written to an S3-compatible server on loopback. */
class PreflightHandlerTest {

    private static final String FOLDER = "runs/ft-2025-06-01-a/merged/";

    @RegisterExtension
    final S3ProxyExtension s3 = StepTasks.s3();

    private S3Client client;
    private S3BlobStore store;
    private PreflightHandler handler;

    @BeforeEach
    void setUp() {
        client = StepTasks.s3Client(s3);
        store = StepTasks.store(client);
        handler = new PreflightHandler(bucket -> new S3BlobStore(client, S3BlobStoreSettings.forBucket(bucket)));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private void write(String name, String content) {
        store.write(FOLDER + name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A folder Custom Model Import accepts: weights, config, tokenizer files and an embedded chat template. */
    private void writeCompleteFolder() {
        write("model-00001-of-00002.safetensors", "0123456789");
        write("model-00002-of-00002.safetensors", "01234");
        write("config.json", "{\"architectures\":[\"LlamaForCausalLM\"]}");
        write("tokenizer.json", "{}");
        write("tokenizer.model", "sp");
        write("tokenizer_config.json", "{\"chat_template\":\"{{ messages }}\"}");
    }

    @Test
    void preflight_completeFolder_passes() {
        writeCompleteFolder();

        JsonNode report = StepTasks.invoke(handler, StepTasks.event("preflight.json"));

        assertThat(report.get("runId").asText()).isEqualTo("ft-2025-06-01-a");
        assertThat(report.get("passed").asBoolean()).isTrue();
        assertThat(report.get("location").asText()).isEqualTo("s3://tuneladder-test/" + FOLDER);
        assertThat(report.get("fileCount").asInt()).isEqualTo(6);
        assertThat(report.get("weightBytes").asLong()).isEqualTo(15);
        assertThat(report.get("weightLimitBytes").asLong()).isEqualTo(200_000_000_000L);
        assertThat(report.get("errors")).isEmpty();
        assertThat(report.get("warnings")).isEmpty();
    }

    @Test
    void preflight_separateTemplate_warns() {
        writeCompleteFolder();
        write("tokenizer_config.json", "{}");
        write("chat_template.jinja", "{{ messages }}");

        JsonNode report = StepTasks.invoke(handler, StepTasks.event("preflight.json"));

        assertThat(report.get("passed").asBoolean()).isTrue();
        assertThat(report.get("warnings")).hasSize(1);
        assertThat(report.get("warnings").get(0).get("file").asText()).isEqualTo("tokenizer_config.json");
    }

    @Test
    void preflight_missingFiles_throwsListingEach() {
        write("pytorch_model.bin", "0123");
        write("config.json", "{}");
        write("tokenizer.model", "sp");
        write("tokenizer_config.json", "{\"chat_template\":\"t\"}");

        assertThatThrownBy(() -> StepTasks.invoke(handler, StepTasks.event("preflight.json")))
                .isInstanceOfSatisfying(ArtifactPreflightFailed.class, e -> {
                    assertThat(e.report().errors()).extracting(p -> p.file())
                            .containsExactlyInAnyOrder("*.safetensors", "tokenizer.json");
                    assertThat(e.getMessage())
                            .startsWith("model artifacts at s3://tuneladder-test/" + FOLDER + " failed the Custom"
                                    + " Model Import preflight with 2 error(s):")
                            .contains("only pytorch_model.bin")
                            .contains("ERROR tokenizer.json: missing");
                });
        assertThat(ArtifactPreflightFailed.ERROR_NAME).isEqualTo("dev.tuneladder.handlers.ArtifactPreflightFailed");
    }

    @Test
    void preflight_emptyFolder_fails() {
        assertThatThrownBy(() -> StepTasks.invoke(handler, StepTasks.event("preflight.json")))
                .isInstanceOf(ArtifactPreflightFailed.class)
                .hasMessageContaining("no weight files at all");
    }

    @Test
    void preflight_uriWithoutTrailingSlash_namesArtifactsUri() {
        ObjectNode event = StepTasks.event("preflight.json");
        event.put("artifactsUri", "s3://tuneladder-test/runs/ft-2025-06-01-a/merged");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> {
                    assertThat(e.field()).isEqualTo("artifactsUri");
                    assertThat(e.getMessage()).contains("ending with '/'");
                });
    }

    @Test
    void preflight_invalidBucketName_namesArtifactsUri() {
        ObjectNode event = StepTasks.event("preflight.json");
        event.put("artifactsUri", "s3://Bad_Bucket/merged/");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> {
                    assertThat(e.field()).isEqualTo("artifactsUri");
                    assertThat(e.getMessage()).contains("invalid bucket name 'Bad_Bucket'");
                });
    }

    @Test
    void preflight_unknownModality_namesModality() {
        ObjectNode event = StepTasks.event("preflight.json");
        event.put("modality", "audio");

        assertThatThrownBy(() -> StepTasks.invoke(handler, event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e ->
                        assertThat(e.getMessage()).isEqualTo("task input field 'modality' is 'audio'; use TEXT or"
                                + " MULTIMODAL"));
    }
}
