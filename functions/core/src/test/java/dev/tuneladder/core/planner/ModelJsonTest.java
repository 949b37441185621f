package dev.tuneladder.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelJsonTest {

    @Test
    void firstObjectReadsPlainObject() {
        ModelJson.Extraction extraction = ModelJson.firstObject("{\"score\": 4}");

        assertThat(extraction.found()).isTrue();
        assertThat(extraction.object().get("score").asInt()).isEqualTo(4);
    }

    @Test
    void firstObjectReadsInsideCodeFence() {
        String text = "Here is my verdict:\n```json\n{\"score\": 2, \"reason\": \"wrong {fee}\"}\n```\nThanks.";

        ModelJson.Extraction extraction = ModelJson.firstObject(text);

        assertThat(extraction.object().get("score").asInt()).isEqualTo(2);
        assertThat(extraction.object().get("reason").asText()).isEqualTo("wrong {fee}");
    }

    @Test
    void firstObjectSkipsStrayBrace() {
        ModelJson.Extraction extraction = ModelJson.firstObject("use {x} like this: {\"a\": 1} and {\"b\": 2}");

        assertThat(extraction.object().toString()).isEqualTo("{\"a\":1}");
    }

    @Test
    void firstObjectReportsMissingObject() {
        ModelJson.Extraction extraction = ModelJson.firstObject("I would give it a four.");

        assertThat(extraction.found()).isFalse();
        assertThat(extraction.error()).isEqualTo("the output contains no JSON object");
    }

    @Test
    void firstObjectReportsInvalidJson() {
        ModelJson.Extraction extraction = ModelJson.firstObject("{\"score\": four}");

        assertThat(extraction.found()).isFalse();
        assertThat(extraction.error()).startsWith("invalid JSON: ");
    }

    @Test
    void firstObjectRejectsDuplicateKeys() {
        ModelJson.Extraction extraction = ModelJson.firstObject("{\"score\": 1, \"score\": 5}");

        assertThat(extraction.found()).isFalse();
        assertThat(extraction.error()).contains("score");
    }

    @Test
    void firstObjectReportsEmptyOutput() {
        assertThat(ModelJson.firstObject("  ").error()).isEqualTo("the output is empty; expected a JSON object");
    }
}
