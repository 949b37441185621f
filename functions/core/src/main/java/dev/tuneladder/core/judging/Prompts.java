package dev.tuneladder.core.judging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;

/** Text helpers shared by the judges. */
final class Prompts {

    /** The expected output of rubric and two-tier judgments, quoted in prompts and repair requests. */
    static final String SCORE_SHAPE = "{\"score\": <number>, \"reason\": \"<one or two sentences>\"}";

    private Prompts() {
    }

    /**
     * Joins labelled sections as {@code Label:\ntext} separated by blank lines; a section whose text is null is
     * left out. Arguments alternate label and text.
     */
    static String sections(String... labelsAndTexts) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i + 1 < labelsAndTexts.length; i += 2) {
            if (labelsAndTexts[i + 1] == null) {
                continue;
            }
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(labelsAndTexts[i]).append(":\n").append(labelsAndTexts[i + 1]);
        }
        return text.toString();
    }

    /** Returns the system prompt of a scored judgment: the judge prompt, the rubric and the output format. */
    static String scoringSystem(String judgePrompt, Rubric rubric) {
        return judgePrompt + "\n\nRubric:\n" + rubric.criteria() + "\n\nScore the answer with " + rubric.scaleText()
                + ". Reply with only a JSON object of this form: " + SCORE_SHAPE;
    }

    /** Reads {@code score} and {@code reason}; keeps only those two fields. */
    static JudgeCall.Validator scoreValidator(Rubric rubric) {
        return object -> {
            JsonNode score = object.get("score");
            if (score == null || score.isNull()) {
                throw new JudgeCall.InvalidOutput("the field 'score' is missing");
            }
            if (!score.isNumber()) {
                throw new JudgeCall.InvalidOutput("the field 'score' is " + score + ", not a JSON number");
            }
            String invalid = rubric.invalidScore(score.asDouble());
            if (invalid != null) {
                throw new JudgeCall.InvalidOutput(invalid);
            }
            ObjectNode kept = Json.mapper().createObjectNode();
            kept.set("score", score);
            JsonNode reason = object.get("reason");
            if (reason != null && reason.isTextual()) {
                kept.set("reason", reason);
            }
            return kept;
        };
    }

    static String text(JsonNode node) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failed to write a JSON tree as text", e);
        }
    }

    static String reasonOf(ObjectNode object) {
        JsonNode reason = object.get("reason");
        return reason != null && reason.isTextual() ? reason.asText() : null;
    }
}
