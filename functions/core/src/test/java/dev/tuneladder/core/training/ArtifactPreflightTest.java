package dev.tuneladder.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.training.PreflightProblem.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArtifactPreflightTest {

    private static final String LOCATION = "s3://tl-data/runs/run1/merged/";
    private static final String CONFIG_WITH_TEMPLATE = """
            {"model_max_length": 131072, "chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}"}
            """;
    private static final String CONFIG_WITHOUT_TEMPLATE = "{\"model_max_length\": 131072}";

    /** Returns a merged Llama-style folder with every required file and two weight shards of 8 GB in all. */
    private static List<ArtifactFile> goodFolder() {
        return new ArrayList<>(List.of(
                new ArtifactFile("model-00001-of-00002.safetensors", 5_000_000_000L),
                new ArtifactFile("model-00002-of-00002.safetensors", 3_000_000_000L),
                new ArtifactFile("model.safetensors.index.json", 24_000),
                new ArtifactFile("config.json", 800),
                new ArtifactFile("generation_config.json", 180),
                new ArtifactFile("tokenizer_config.json", 50_000),
                new ArtifactFile("tokenizer.json", 9_000_000),
                new ArtifactFile("tokenizer.model", 500_000),
                new ArtifactFile("special_tokens_map.json", 300)));
    }

    private static List<ArtifactFile> without(List<ArtifactFile> files, String name) {
        files.removeIf(f -> f.name().equals(name));
        return files;
    }

    @Test
    void check_goodFolder_passesWithNoProblems() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, goodFolder(), CONFIG_WITH_TEMPLATE,
                ModelModality.TEXT);

        assertThat(report.passed()).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(report.fileCount()).isEqualTo(9);
        assertThat(report.weightBytes()).isEqualTo(8_000_000_000L);
        assertThat(report.weightLimitBytes()).isEqualTo(200_000_000_000L);
        assertThat(report.summary()).isEqualTo("no problems in 9 files at " + LOCATION);
    }

    @Test
    void check_missingTokenizerJson_fails() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, without(goodFolder(), "tokenizer.json"),
                CONFIG_WITH_TEMPLATE, ModelModality.TEXT);

        assertThat(report.passed()).isFalse();
        assertThat(report.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("tokenizer.json");
            assertThat(problem.reason()).contains("missing");
            assertThat(problem.fix()).contains("tokenizer.save_pretrained(out)");
        });
    }

    @Test
    void check_missingTokenizerModel_fails() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, without(goodFolder(), "tokenizer.model"),
                CONFIG_WITH_TEMPLATE, ModelModality.TEXT);

        assertThat(report.errors()).extracting(PreflightProblem::file).containsExactly("tokenizer.model");
    }

    @Test
    void check_missingConfig_errorSuggestsSavePretrained() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, without(goodFolder(), "config.json"),
                CONFIG_WITH_TEMPLATE, ModelModality.TEXT);

        assertThat(report.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("config.json");
            assertThat(problem.fix()).contains("safe_serialization=True");
        });
    }

    @Test
    void check_nestedRequiredFile_fails() {
        List<ArtifactFile> files = without(goodFolder(), "tokenizer.json");
        files.add(new ArtifactFile("tokenizer/tokenizer.json", 9_000_000));

        PreflightReport report = ArtifactPreflight.check(LOCATION, files, CONFIG_WITH_TEMPLATE, ModelModality.TEXT);

        assertThat(report.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.reason()).contains("found only at tokenizer/tokenizer.json");
            assertThat(problem.fix()).contains("move it to the top of the folder");
        });
    }

    @Test
    void check_oversizedWeights_fails() {
        List<ArtifactFile> files = goodFolder();
        files.add(new ArtifactFile("model-extra.safetensors", 192_000_000_000L));

        PreflightReport report = ArtifactPreflight.check(LOCATION, files, CONFIG_WITH_TEMPLATE, ModelModality.TEXT);

        assertThat(report.weightBytes()).isEqualTo(200_000_000_000L);
        assertThat(report.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("*.safetensors");
            assertThat(problem.reason())
                    .isEqualTo("the 3 weight files total 200.0 GB, but Custom Model Import takes text models under"
                            + " 200 GB");
            assertThat(problem.fix()).contains("bf16");
        });
    }

    @Test
    void check_multimodalLimit_appliesHundredGb() {
        List<ArtifactFile> files = goodFolder();
        files.add(new ArtifactFile("vision.safetensors", 95_000_000_000L));

        PreflightReport text = ArtifactPreflight.check(LOCATION, files, CONFIG_WITH_TEMPLATE, ModelModality.TEXT);
        PreflightReport multimodal = ArtifactPreflight.check(LOCATION, files, CONFIG_WITH_TEMPLATE,
                ModelModality.MULTIMODAL);

        assertThat(text.passed()).isTrue();
        assertThat(multimodal.errors()).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("total 103.0 GB").contains("multimodal models"));
    }

    @Test
    void check_noChatTemplate_errorOnTokenizerConfig() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, goodFolder(), CONFIG_WITHOUT_TEMPLATE,
                ModelModality.TEXT);

        assertThat(report.passed()).isFalse();
        assertThat(report.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("tokenizer_config.json");
            assertThat(problem.reason()).contains("no chat template");
            assertThat(problem.fix()).contains("tokenizer.chat_template");
        });
    }

    @Test
    void check_blankTemplate_fails() {
        PreflightReport blank = ArtifactPreflight.check(LOCATION, goodFolder(), "{\"chat_template\": \"  \"}",
                ModelModality.TEXT);
        PreflightReport emptyList = ArtifactPreflight.check(LOCATION, goodFolder(), "{\"chat_template\": []}",
                ModelModality.TEXT);

        assertThat(blank.passed()).isFalse();
        assertThat(emptyList.passed()).isFalse();
    }

    @Test
    void check_namedTemplateList_countsAsTemplate() {
        String config = "{\"chat_template\": [{\"name\": \"default\", \"template\": \"{{ messages }}\"}]}";

        PreflightReport report = ArtifactPreflight.check(LOCATION, goodFolder(), config, ModelModality.TEXT);

        assertThat(report.problems()).isEmpty();
    }

    @Test
    void check_jinjaTemplateOnly_warns() {
        List<ArtifactFile> files = goodFolder();
        files.add(new ArtifactFile("chat_template.jinja", 4_000));

        PreflightReport report = ArtifactPreflight.check(LOCATION, files, CONFIG_WITHOUT_TEMPLATE,
                ModelModality.TEXT);

        assertThat(report.passed()).isTrue();
        assertThat(report.warnings()).singleElement().satisfies(problem -> {
            assertThat(problem.severity()).isEqualTo(Severity.WARNING);
            assertThat(problem.reason()).contains("OpenAI chat completion format");
        });
    }

    @Test
    void check_binWeightsOnly_errorNamesThem() {
        List<ArtifactFile> files = without(without(goodFolder(), "model-00001-of-00002.safetensors"),
                "model-00002-of-00002.safetensors");
        files.add(new ArtifactFile("pytorch_model.bin", 16_000_000_000L));

        PreflightReport report = ArtifactPreflight.check(LOCATION, files, CONFIG_WITH_TEMPLATE, ModelModality.TEXT);

        assertThat(report.weightBytes()).isZero();
        assertThat(report.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("*.safetensors");
            assertThat(problem.reason()).contains("only pytorch_model.bin");
        });
    }

    @Test
    void check_emptyWeightShard_error() {
        List<ArtifactFile> files = goodFolder();
        files.add(new ArtifactFile("model-00003-of-00003.safetensors", 0));

        PreflightReport report = ArtifactPreflight.check(LOCATION, files, CONFIG_WITH_TEMPLATE, ModelModality.TEXT);

        assertThat(report.errors()).extracting(PreflightProblem::file)
                .containsExactly("model-00003-of-00003.safetensors");
    }

    @Test
    void check_tokenizerConfigNotJson_error() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, goodFolder(), "{\"chat_template\": ",
                ModelModality.TEXT);

        assertThat(report.errors()).singleElement()
                .satisfies(p -> assertThat(p.reason()).startsWith("not valid JSON"));
    }

    @Test
    void check_emptyFolder_listsEveryError() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, List.of(), null, ModelModality.TEXT);

        assertThat(report.errors()).extracting(PreflightProblem::file).containsExactly("*.safetensors",
                "config.json", "tokenizer_config.json", "tokenizer.json", "tokenizer.model", "tokenizer_config.json");
        assertThat(report.summary().lines()).hasSize(6);
    }

    @Test
    void check_tokenizerConfigListedButNotRead_rejected() {
        assertThatThrownBy(() -> ArtifactPreflight.check(LOCATION, goodFolder(), null, ModelModality.TEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has tokenizer_config.json but its content was not given");
    }

    @Test
    void exception_failedReport_messageListsEveryError() {
        PreflightReport report = ArtifactPreflight.check(LOCATION, without(goodFolder(), "tokenizer.json"),
                CONFIG_WITHOUT_TEMPLATE, ModelModality.TEXT);

        ArtifactPreflightException error = new ArtifactPreflightException(report);

        assertThat(error.getMessage()).startsWith("model artifacts at " + LOCATION
                        + " failed the Custom Model Import preflight with 2 error(s):")
                .contains("ERROR tokenizer.json: missing")
                .contains("ERROR tokenizer_config.json: no chat template");
        assertThat(error.report()).isSameAs(report);
    }
}
