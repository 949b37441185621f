package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.planner.RoutingPrompts;
import dev.tuneladder.core.training.ChatExamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The export task and the training-inputs preflight that follows it, over S3Proxy on loopback. */
class ExportTrainingDataHandlerTest {

    private static final String RUN = "ft-2026-01-15-planner-lora";
    private static final String TRAIN_KEY = "runs/smp-2026-01-14-banking77/split/train.jsonl";
    private static final String FOLDER = "runs/" + RUN + "/training-data/";

    @RegisterExtension
    final S3ProxyExtension s3 = StepTasks.s3();

    private S3Client client;
    private S3BlobStore store;
    private ExportTrainingDataHandler export;
    private PreflightHandler preflight;

    @BeforeEach
    void setUp() {
        client = StepTasks.s3Client(s3);
        store = StepTasks.store(client);
        export = new ExportTrainingDataHandler(store);
        preflight = new PreflightHandler(bucket -> new S3BlobStore(client, S3BlobStoreSettings.forBucket(bucket)));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Writes {@code labelled} routing rows over two intents, then an unlabelled row and a line that is not JSON. */
    private void writeTrainSplit(int labelled) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < labelled; i++) {
            lines.append(String.format(Locale.ROOT, "{\"id\":\"b77-%03d\",\"turns\":[{\"role\":\"user\","
                    + "\"content\":\"message %d\"}],\"intent\":\"%s\"}%n", i, i, i % 2 == 0 ? "card_arrival"
                    : "top_up_failed"));
        }
        lines.append("{\"id\":\"b77-unlabelled\",\"turns\":[{\"role\":\"user\",\"content\":\"hello\"}]}\n");
        lines.append("{not json\n");
        store.write(TRAIN_KEY, lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    private List<JsonNode> lines(String key) {
        List<JsonNode> parsed = new ArrayList<>();
        try {
            for (String line : new String(store.readAllBytes(key), StandardCharsets.UTF_8).split("\n")) {
                parsed.add(StepTaskHandler.MAPPER.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parsed;
    }

    @Test
    void export_trainSplit_writesExamplesAndRejects() {
        writeTrainSplit(40);

        JsonNode output = StepTasks.invoke(export, StepTasks.event("export-training-data.json"));

        assertThat(output.get("trainingDataS3Uri").asText()).isEqualTo("s3://tuneladder-test/" + FOLDER + "train/");
        assertThat(output.get("validationDataS3Uri").asText())
                .isEqualTo("s3://tuneladder-test/" + FOLDER + "validation/");
        assertThat(output.get("format").asText()).isEqualTo(ChatExamples.FORMAT);
        long train = output.get("trainExamples").asLong();
        long validation = output.get("validationExamples").asLong();
        assertThat(train + validation).isEqualTo(40);
        assertThat(validation).isBetween(4L, 18L);
        assertThat(output.get("labels").asInt()).isEqualTo(2);
        assertThat(output.get("rejected").asInt()).isEqualTo(2);

        List<JsonNode> trainLines = lines(FOLDER + "train/train.jsonl");
        assertThat(trainLines).hasSize((int) train);
        for (JsonNode line : trainLines) {
            assertThat(ChatExamples.problem(line)).as(line.path("id").asText()).isNull();
        }
        assertThat(lines(FOLDER + "validation/validation.jsonl")).hasSize((int) validation);
        List<JsonNode> rejects = lines(output.get("rejectsKey").asText());
        assertThat(rejects).hasSize(2);
        assertThat(rejects.get(0).get("line").asInt()).isEqualTo(42);
        assertThat(rejects.get(1).get("id").asText()).isEqualTo("b77-unlabelled");
        assertThat(rejects.get(1).get("reason").asText()).contains("neither an intent label");
        JsonNode manifest = S3TestStore.readJson(store, output.get("manifestKey").asText());
        assertThat(manifest.get("labelList")).hasSize(2);
        assertThat(manifest.get("trainKey").asText()).isEqualTo(TRAIN_KEY);
    }

    @Test
    void export_retryWithoutValidation_removesOldValidationFile() {
        writeTrainSplit(12);
        StepTasks.invoke(export, StepTasks.event("export-training-data.json"));
        ObjectNode event = StepTasks.event("export-training-data.json");
        ((ObjectNode) event.get("training")).remove("validationFraction");

        JsonNode output = StepTasks.invoke(export, event);

        assertThat(output.has("validationDataS3Uri")).isFalse();
        assertThat(output.get("trainExamples").asInt()).isEqualTo(12);
        assertThat(store.exists(FOLDER + "validation/validation.jsonl")).isFalse();
    }

    @Test
    void export_missingSplit_isInvalidInputNamingKey() {
        assertThatThrownBy(() -> StepTasks.invoke(export, StepTasks.event("export-training-data.json")))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("dataset.trainKey")
                .hasMessageContaining("does not exist");
    }

    @Test
    void preflight_afterExport_returnsTrainingJobRequest() {
        writeTrainSplit(40);
        JsonNode exported = StepTasks.invoke(export, StepTasks.event("export-training-data.json"));
        ObjectNode event = StepTasks.event("preflight-training-inputs.json");
        event.set("export", exported);

        JsonNode output = StepTasks.invoke(preflight, event);

        assertThat(output.get("passed").asBoolean()).isTrue();
        assertThat(output.get("trainExamples").asLong()).isEqualTo(exported.get("trainExamples").asLong());
        assertThat(output.get("files").asInt()).isEqualTo(2);
        JsonNode request = output.get("trainingJobRequest");
        assertThat(request.get("TrainingJobName").asText()).isEqualTo(RUN);
        assertThat(request.path("OutputDataConfig").path("CompressionType").asText()).isEqualTo("NONE");
        assertThat(request.path("InputDataConfig").findValuesAsText("ChannelName"))
                .containsExactly("train", "validation");
        assertThat(request.path("InputDataConfig").get(0).findValue("S3Uri").asText())
                .isEqualTo(exported.get("trainingDataS3Uri").asText());
        assertThat(request.path("HyperParameters").path("sagemaker_program").asText()).isEqualTo("train.py");
        assertThat(request.path("HyperParameters").path("sagemaker_submit_directory").asText())
                .isEqualTo("s3://tuneladder-artifacts-123456789012/code/lora/sourcedir.tar.gz");
        assertThat(request.path("HyperParameters").path("epoch").asText()).isEqualTo("3");
        assertThat(request.get("Tags")).isEmpty();
        assertThat(output.get("modelUri").asText()).isEqualTo("s3://tuneladder-artifacts-123456789012/runs/" + RUN
                + "/training/" + RUN + "/output/model/");
    }

    @Test
    void preflight_badLines_nameKeyAndLine() {
        ChatExamples examples = new ChatExamples(RoutingPrompts.BUILT_IN, List.of("card_arrival"));
        String good = examples.example(new Interaction("b77-1", List.of(Turn.user("where is my card")),
                "card_arrival", null, null, null)).toString();
        String noCalls = good.replace("\"tool_calls\"", "\"calls\"").replace("b77-1", "b77-2");
        store.write(FOLDER + "train/train.jsonl", (good + "\n" + noCalls + "\n{\n").getBytes(StandardCharsets.UTF_8));
        store.write(FOLDER + "train/notes.txt", "x".getBytes(StandardCharsets.UTF_8));
        ObjectNode event = StepTasks.event("preflight-training-inputs.json");
        ((ObjectNode) event.get("export")).remove("validationDataS3Uri");

        assertThatThrownBy(() -> StepTasks.invoke(preflight, event))
                .isInstanceOf(TrainingDataPreflightFailed.class)
                .hasMessageContaining(FOLDER + "train/train.jsonl:2: not a chat-tool-calls example: the completion"
                        + " has no 'tool_calls'")
                .hasMessageContaining(FOLDER + "train/train.jsonl:3: not valid JSON")
                .hasMessageContaining(FOLDER + "train/notes.txt: not a .jsonl file")
                .hasMessageContaining("1 training examples, fewer than the minimum of 4")
                .hasMessageNotContaining("b77-1");
    }

    @Test
    void preflight_roleArnInTraining_isRejected() {
        ObjectNode event = StepTasks.event("preflight-training-inputs.json");
        ((ObjectNode) event.get("training")).put("roleArn", "arn:aws:iam::123456789012:role/other");

        assertThatThrownBy(() -> StepTasks.invoke(preflight, event))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("training.roleArn")
                .hasMessageContaining("set by the state machine");
    }

    @Test
    void preflight_invalidLoraRank_namesField() {
        ObjectNode event = StepTasks.event("preflight-training-inputs.json");
        ((ObjectNode) event.get("training")).put("loraRank", 64);

        assertThatThrownBy(() -> StepTasks.invoke(preflight, event))
                .isInstanceOf(InvalidTaskInput.class)
                .hasMessageContaining("training.loraRank");
    }

}
