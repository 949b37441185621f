package dev.tuneladder.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoraTrainingSpecTest {

    @Test
    void builder_defaults_renderJumpStartStyleHyperParameters() {
        LoraTrainingSpec spec = TrainingSpecs.spec().build();

        assertThat(spec.hyperParameters()).containsExactly(
                Map.entry("base_model", "meta-llama/Llama-3.1-8B-Instruct"),
                Map.entry("epoch", "5"),
                Map.entry("learning_rate", "0.0001"),
                Map.entry("lora_alpha", "32"),
                Map.entry("lora_dropout", "0.05"),
                Map.entry("lora_r", "8"),
                Map.entry("max_input_length", "1024"),
                Map.entry("per_device_train_batch_size", "4"),
                Map.entry("target_modules", "q_proj,k_proj,v_proj,o_proj"));
        assertThat(spec.channels()).containsExactly(Map.entry("train", "s3://tl-data/runs/run1/train/"));
        assertThat(spec.instanceType()).isEqualTo("ml.g5.12xlarge");
        assertThat(spec.maxRuntimeSeconds()).isEqualTo(86_400);
    }

    @Test
    void hyperParameters_extraEntries_mergedInKeyOrder() {
        LoraTrainingSpec spec = TrainingSpecs.spec()
                .extraHyperParameters(Map.of("gradient_accumulation_steps", "8", "chat_dataset", "True"))
                .build();

        assertThat(spec.hyperParameters()).containsEntry("gradient_accumulation_steps", "8")
                .containsEntry("chat_dataset", "True")
                .hasSize(11);
        assertThat(List.copyOf(spec.hyperParameters().keySet())).isSorted();
    }

    @Test
    void channels_s3BaseModel_addsModelChannel() {
        LoraTrainingSpec spec = TrainingSpecs.spec()
                .baseModel("s3://tl-models/llama-3.1-8b/")
                .validationDataUri("s3://tl-data/runs/run1/validation/")
                .build();

        assertThat(spec.baseModelInS3()).isTrue();
        assertThat(spec.channels()).containsExactly(
                Map.entry("train", "s3://tl-data/runs/run1/train/"),
                Map.entry("validation", "s3://tl-data/runs/run1/validation/"),
                Map.entry("model", "s3://tl-models/llama-3.1-8b/"));
        assertThat(spec.hyperParameters()).doesNotContainKey("base_model");
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 17, 0, 64})
    void loraRank_outsideEightToSixteen_rejected(int rank) {
        assertThatThrownBy(() -> TrainingSpecs.spec().loraRank(rank).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loraRank must be 8 to 16, got " + rank);
    }

    @Test
    void loraRank_bounds_accepted() {
        assertThat(TrainingSpecs.spec().loraRank(8).build().loraRank()).isEqualTo(8);
        assertThat(TrainingSpecs.spec().loraRank(16).build().hyperParameters()).containsEntry("lora_r", "16");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, Double.NaN})
    void loraDropout_outsideRange_rejected(double dropout) {
        assertThatThrownBy(() -> TrainingSpecs.spec().loraDropout(dropout).build())
                .hasMessageContaining("loraDropout must be at least 0 and below 1");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1e-4, 1.5, Double.POSITIVE_INFINITY})
    void learningRate_outsideRange_rejected(double rate) {
        assertThatThrownBy(() -> TrainingSpecs.spec().learningRate(rate).build())
                .hasMessageContaining("learningRate must be above 0 and at most 1");
    }

    @Test
    void targetModules_emptyOrRepeatedOrInvalid_rejected() {
        assertThatThrownBy(() -> TrainingSpecs.spec().targetModules(List.of()).build())
                .hasMessageContaining("targetModules is empty");
        assertThatThrownBy(() -> TrainingSpecs.spec().targetModules(List.of("q_proj", "q_proj")).build())
                .hasMessageContaining("lists 'q_proj' twice");
        assertThatThrownBy(() -> TrainingSpecs.spec().targetModules(List.of("q proj")).build())
                .hasMessageContaining("'q proj' is not a module name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tl_lora", "-tl", "tl-", "tl.lora", ""})
    void jobName_invalid_rejectedWithRule(String name) {
        assertThatThrownBy(() -> TrainingSpecs.spec().jobName(name).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training job name '" + name + "' is invalid")
                .hasMessageContaining("letters, digits and hyphens");
    }

    @Test
    void jobName_sixtyFourCharacters_rejected() {
        String name = "a".repeat(64);

        assertThatThrownBy(() -> TrainingSpecs.spec().jobName(name).build())
                .hasMessageContaining("training job name");
        assertThat(TrainingSpecs.spec().jobName("a".repeat(63)).build().jobName()).hasSize(63);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://tl-data.s3.amazonaws.com/train/", "s3://TL-Data/train/", "s3://ab/x",
            "tl-data/train/", "s3://tl-data/train with space/"})
    void trainDataUri_notS3Uri_rejected(String uri) {
        assertThatThrownBy(() -> TrainingSpecs.spec().trainDataUri(uri).build())
                .hasMessageContaining("trainDataUri '" + uri + "' is not an S3 URI");
    }

    @Test
    void roleArn_userArn_rejected() {
        assertThatThrownBy(() -> TrainingSpecs.spec().roleArn("arn:aws:iam::123456789012:user/alice").build())
                .hasMessageContaining("roleArn 'arn:aws:iam::123456789012:user/alice' is not an IAM role ARN");
    }

    @Test
    void baseModel_blankOrUrl_rejected() {
        assertThatThrownBy(() -> TrainingSpecs.spec().baseModel(" ").build())
                .hasMessageContaining("baseModel ' ' is neither a model hub id");
        assertThatThrownBy(() -> TrainingSpecs.spec().baseModel("https://huggingface.co/x").build())
                .hasMessageContaining("is neither a model hub id");
    }

    @Test
    void maxRuntimeSeconds_overTwentyEightDays_rejected() {
        assertThatThrownBy(() -> TrainingSpecs.spec().maxRuntimeSeconds(28 * 86_400 + 1).build())
                .hasMessageContaining("maxRuntimeSeconds must be 1 to 2419200");
        assertThat(TrainingSpecs.spec().maxRuntimeSeconds(28 * 86_400).build().maxRuntimeSeconds())
                .isEqualTo(2_419_200);
    }

    @Test
    void instanceType_withoutMlPrefix_rejected() {
        assertThatThrownBy(() -> TrainingSpecs.spec().instanceType("g5.12xlarge").build())
                .hasMessageContaining("instanceType 'g5.12xlarge' is not a SageMaker ML instance type");
    }

    @Test
    void counts_zero_rejectedByName() {
        assertThatThrownBy(() -> TrainingSpecs.spec().epochs(0).build()).hasMessageContaining("epochs must be");
        assertThatThrownBy(() -> TrainingSpecs.spec().batchSize(0).build()).hasMessageContaining("batchSize must");
        assertThatThrownBy(() -> TrainingSpecs.spec().instanceCount(0).build())
                .hasMessageContaining("instanceCount must");
        assertThatThrownBy(() -> TrainingSpecs.spec().volumeSizeInGb(0).build())
                .hasMessageContaining("volumeSizeInGb must");
    }

    @Test
    void extraHyperParameters_repeatRenderedKey_rejected() {
        assertThatThrownBy(() -> TrainingSpecs.spec().extraHyperParameters(Map.of("lora_r", "32")).build())
                .hasMessageContaining("extraHyperParameters key 'lora_r'")
                .hasMessageContaining("set the spec's own field instead");
    }

    @Test
    void extraHyperParameters_overHundredInAll_rejected() {
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < 92; i++) {
            extra.put("extra_" + i, "1");
        }

        assertThatThrownBy(() -> TrainingSpecs.spec().extraHyperParameters(extra).build())
                .hasMessageContaining("has 101 hyperparameters, more than the 100 SageMaker accepts");
        extra.remove("extra_0");
        assertThat(TrainingSpecs.spec().extraHyperParameters(extra).build().hyperParameters()).hasSize(100);
    }

    @Test
    void extraHyperParameters_valueOver256Characters_rejected() {
        assertThatThrownBy(() -> TrainingSpecs.spec().extraHyperParameters(Map.of("note", "x".repeat(257))).build())
                .hasMessageContaining("hyperparameter 'note' needs a value of at most 256 characters, got 257");
    }

    @Test
    void tags_overFiftyOrReservedPrefix_rejected() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }

        assertThatThrownBy(() -> TrainingSpecs.spec().tags(many).build())
                .hasMessageContaining("tags has 51 tags, more than the 50");
        assertThatThrownBy(() -> TrainingSpecs.spec().tags(Map.of("aws:team", "ml")).build())
                .hasMessageContaining("starts with 'aws:'");
    }
}
