package dev.tuneladder.local.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.training.ArtifactPreflightException;
import dev.tuneladder.core.training.AwsConstraints;
import dev.tuneladder.core.training.ModelImportRequest;
import dev.tuneladder.core.training.ModelImportState;
import dev.tuneladder.core.training.ModelImportStatus;
import dev.tuneladder.core.training.ModelModality;
import dev.tuneladder.core.training.RequestDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunModelImporterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final String MODEL_URI = "s3://tl-data/runs/run1/merged/";

    @TempDir
    Path temp;

    private Path mirror;
    private Path merged;
    private Path output;

    /** Writes a small merged model folder with every file Custom Model Import requires. */
    @BeforeEach
    void createMergedFolder() throws IOException {
        mirror = temp.resolve("s3");
        output = temp.resolve("imports");
        merged = Files.createDirectories(mirror.resolve("tl-data/runs/run1/merged"));
        Files.write(merged.resolve("model.safetensors"), new byte[4096]);
        Files.writeString(merged.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"]}");
        Files.writeString(merged.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{% for m in messages %}{{ m.content }}{% endfor %}\"}");
        Files.writeString(merged.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        Files.write(merged.resolve("tokenizer.model"), new byte[128]);
    }

    private DryRunModelImporter importer() {
        return new DryRunModelImporter(output, mirror, ModelModality.TEXT, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ModelImportRequest request(String token) {
        return new ModelImportRequest("tl-import-run1", "tl-planner-run1",
                "arn:aws:iam::123456789012:role/tuneladder-import", MODEL_URI, null, Map.of("project", "tuneladder"),
                token);
    }

    @Test
    void startImport_goodFolder_writesRequest() throws IOException {
        String jobArn = importer().startImport(request("run1"));

        assertThat(AwsConstraints.requireImportJobArn(jobArn)).startsWith("arn:aws:bedrock:local:000000000000:");
        JsonNode written = MAPPER.readTree(output.resolve("tl-import-run1/create-model-import-job.json").toFile());
        assertThat(written).isEqualTo(RequestDocuments.createModelImportJob(request("run1")));
        assertThat(written.path("modelDataSource").path("s3DataSource").path("s3Uri").asText()).isEqualTo(MODEL_URI);
        JsonNode preflight = MAPPER.readTree(output.resolve("tl-import-run1/preflight.json").toFile());
        assertThat(preflight.path("passed").asBoolean()).isTrue();
        assertThat(preflight.path("fileCount").asInt()).isEqualTo(5);
        assertThat(preflight.path("weightBytes").asLong()).isEqualTo(4096);
        assertThat(preflight.path("problems")).isEmpty();
    }

    @Test
    void getImport_startedJob_completed() {
        String jobArn = importer().startImport(request("run1"));

        ModelImportStatus status = importer().getImport(jobArn);

        assertThat(status.state()).isEqualTo(ModelImportState.COMPLETED);
        assertThat(status.jobName()).isEqualTo("tl-import-run1");
        assertThat(status.failureMessage()).isNull();
        assertThat(status.importedModelArn()).isEqualTo(jobArn.replace("model-import-job", "imported-model"));
        assertThat(status.endTime()).isEqualTo(NOW);
        assertThat(status.note()).startsWith("dry run: no import ran")
                .contains(output.resolve("tl-import-run1/create-model-import-job.json").toString());
    }

    @Test
    void startImport_missingTokenizer_writesReportOnly() throws IOException {
        Files.delete(merged.resolve("tokenizer.json"));

        assertThatThrownBy(() -> importer().startImport(request("run1")))
                .isInstanceOfSatisfying(ArtifactPreflightException.class,
                        e -> assertThat(e.report().errors()).singleElement()
                                .satisfies(p -> assertThat(p.file()).isEqualTo("tokenizer.json")))
                .hasMessageContaining("ERROR tokenizer.json: missing");

        JsonNode preflight = MAPPER.readTree(output.resolve("tl-import-run1/preflight.json").toFile());
        assertThat(preflight.path("passed").asBoolean()).isFalse();
        assertThat(preflight.path("problems").get(0).path("file").asText()).isEqualTo("tokenizer.json");
        assertThat(preflight.path("problems").get(0).path("fix").asText()).contains("save_pretrained");
        assertThat(output.resolve("tl-import-run1/create-model-import-job.json")).doesNotExist();
    }

    @Test
    void startImport_jinjaTemplate_warns() throws IOException {
        Files.writeString(merged.resolve("tokenizer_config.json"), "{}");
        Files.writeString(merged.resolve("chat_template.jinja"), "{{ messages }}");

        importer().startImport(request("run1"));

        JsonNode preflight = MAPPER.readTree(output.resolve("tl-import-run1/preflight.json").toFile());
        assertThat(preflight.path("passed").asBoolean()).isTrue();
        assertThat(preflight.path("problems").get(0).path("severity").asText()).isEqualTo("WARNING");
    }

    @Test
    void startImport_sameToken_returnsFirstJobArn() {
        String first = importer().startImport(request("run1"));

        String second = importer().startImport(request("run1"));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void startImport_sameNameOtherToken_clientError() {
        importer().startImport(request("run1"));

        assertThatThrownBy(() -> importer().startImport(request("run2")))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR))
                .hasMessageContaining("already exists")
                .hasMessageContaining("another client request token");
    }

    @Test
    void getImport_unknownOrInvalidArn_rejected() {
        assertThatThrownBy(() -> importer().getImport(
                "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcd1234efgh"))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR))
                .hasMessageContaining("no dry-run model import job");
        assertThatThrownBy(() -> importer().getImport("tl-import-run1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobId_sameName_sameTwelveHexDigits() {
        assertThat(DryRunModelImporter.jobId("tl-import-run1")).matches("[0-9a-f]{12}")
                .isEqualTo(DryRunModelImporter.jobId("tl-import-run1"))
                .isNotEqualTo(DryRunModelImporter.jobId("tl-import-run2"));
    }
}
