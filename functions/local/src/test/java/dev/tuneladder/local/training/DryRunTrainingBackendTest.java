package dev.tuneladder.local.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.training.LaunchedTrainingJob;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.RequestDocuments;
import dev.tuneladder.core.training.TrainingJobState;
import dev.tuneladder.core.training.TrainingJobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunTrainingBackendTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TRAIN_ROWS = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n";

    @TempDir
    Path temp;

    private Path mirror;
    private Path output;

    @BeforeEach
    void createMirror() throws IOException {
        mirror = temp.resolve("s3");
        output = temp.resolve("jobs");
        Path train = Files.createDirectories(mirror.resolve("tl-data/runs/run1/train"));
        Files.writeString(train.resolve("part-0.jsonl"), TRAIN_ROWS);
        Files.writeString(train.resolve("part-1.jsonl"), TRAIN_ROWS + TRAIN_ROWS);
        Path validation = Files.createDirectories(mirror.resolve("tl-data/runs/run1/validation"));
        Files.writeString(validation.resolve("part-0.jsonl"), TRAIN_ROWS);
    }

    private static LoraTrainingSpec spec() {
        return LoraTrainingSpec.builder()
                .jobName("tl-lora-run1")
                .baseModel("meta-llama/Llama-3.1-8B-Instruct")
                .trainDataUri("s3://tl-data/runs/run1/train/")
                .validationDataUri("s3://tl-data/runs/run1/validation/")
                .outputUri("s3://tl-data/runs/run1/training")
                .trainingImageUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/tl-train:1")
                .roleArn("arn:aws:iam::123456789012:role/tuneladder-training")
                .build();
    }

    @Test
    void launch_spec_writesExactRequestBody() throws IOException {
        DryRunTrainingBackend backend = new DryRunTrainingBackend(output, mirror);

        LaunchedTrainingJob job = backend.launch(spec());

        assertThat(job.jobName()).isEqualTo("tl-lora-run1");
        assertThat(job.jobArn()).isEqualTo("arn:aws:sagemaker:local:000000000000:training-job/tl-lora-run1");
        JsonNode written = MAPPER.readTree(output.resolve("tl-lora-run1/create-training-job.json").toFile());
        assertThat(written).isEqualTo(RequestDocuments.createTrainingJob(spec()));
        assertThat(written.path("TrainingJobName").asText()).isEqualTo("tl-lora-run1");
        assertThat(written.path("HyperParameters").path("lora_r").asText()).isEqualTo("8");
        assertThat(written.path("InputDataConfig").findValuesAsText("ChannelName"))
                .containsExactly("train", "validation");
    }

    @Test
    void launch_spec_writesTrainingFilesListing() throws IOException {
        new DryRunTrainingBackend(output, mirror).launch(spec());

        JsonNode listing = MAPPER.readTree(output.resolve("tl-lora-run1/training-files.json").toFile());
        JsonNode train = listing.path("channels").get(0);
        assertThat(train.path("channel").asText()).isEqualTo("train");
        assertThat(train.path("containerPath").asText()).isEqualTo("/opt/ml/input/data/train");
        assertThat(train.path("files").findValuesAsText("name")).containsExactly("part-0.jsonl", "part-1.jsonl");
        assertThat(train.path("files").get(1).path("bytes").asLong()).isEqualTo(2L * TRAIN_ROWS.length());
        assertThat(train.path("totalBytes").asLong()).isEqualTo(3L * TRAIN_ROWS.length());
        JsonNode validation = listing.path("channels").get(1);
        assertThat(validation.path("files").findValuesAsText("name")).containsExactly("part-0.jsonl");
    }

    @Test
    void describe_launchedJob_completedWithNote() {
        new DryRunTrainingBackend(output, mirror).launch(spec());

        // A second instance, as in a later process, reads the job from the folder.
        TrainingJobStatus status = new DryRunTrainingBackend(output, mirror).describe("tl-lora-run1");

        assertThat(status.state()).isEqualTo(TrainingJobState.COMPLETED);
        assertThat(status.secondaryStatus()).isEqualTo("Completed");
        assertThat(status.failureReason()).isNull();
        assertThat(status.modelArtifactsUri())
                .isEqualTo("s3://tl-data/runs/run1/training/tl-lora-run1/output/model/");
        assertThat(status.billableSeconds()).isZero();
        assertThat(status.note()).startsWith("dry run: no training ran")
                .contains(output.resolve("tl-lora-run1/create-training-job.json").toString());
    }

    @Test
    void launch_emptyTrainChannel_rejectedAndWritesNothing() throws IOException {
        Path emptyMirror = Files.createDirectories(temp.resolve("empty-s3"));
        DryRunTrainingBackend backend = new DryRunTrainingBackend(output, emptyMirror);

        assertThatThrownBy(() -> backend.launch(spec()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the train channel s3://tl-data/runs/run1/train/ has no files")
                .hasMessageContaining("export the training data there first");
        assertThat(output.resolve("tl-lora-run1")).doesNotExist();
    }

    @Test
    void launch_sameNameTwice_clientError() {
        DryRunTrainingBackend backend = new DryRunTrainingBackend(output, mirror);
        backend.launch(spec());

        assertThatThrownBy(() -> backend.launch(spec()))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR))
                .hasMessageContaining("'tl-lora-run1' already exists");
    }

    @Test
    void describeAndStop_unknownJob_clientError() {
        DryRunTrainingBackend backend = new DryRunTrainingBackend(output, mirror);

        assertThatThrownBy(() -> backend.describe("tl-missing"))
                .isInstanceOfSatisfying(ModelCallException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLIENT_ERROR))
                .hasMessageContaining("no dry-run training job 'tl-missing'");
        assertThatThrownBy(() -> backend.stop("tl-missing")).isInstanceOf(ModelCallException.class);
        assertThatThrownBy(() -> backend.describe("bad_name")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stop_launchedJob_leavesItCompleted() {
        DryRunTrainingBackend backend = new DryRunTrainingBackend(output, mirror);
        backend.launch(spec());

        backend.stop("tl-lora-run1");

        assertThat(backend.describe("tl-lora-run1").state()).isEqualTo(TrainingJobState.COMPLETED);
    }
}
