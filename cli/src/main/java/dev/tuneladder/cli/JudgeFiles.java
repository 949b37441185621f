package dev.tuneladder.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.Turn;
import dev.tuneladder.core.judging.Rubric;
import dev.tuneladder.core.judging.TwoTierJudge;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the rubric and signal files of the judge command and turns dataset rows into judge inputs. */
final class JudgeFiles {

    private JudgeFiles() {
    }

    /**
     * The rubric file: {@code {"name", "criteria", "minScore", "maxScore", "passThreshold", "wholeNumbers"}}. A
     * pairwise judge reads only {@code name} and {@code criteria}.
     */
    record RubricFile(
            @JsonProperty("name") String name,
            @JsonProperty("criteria") String criteria,
            @JsonProperty("minScore") Double minScore,
            @JsonProperty("maxScore") Double maxScore,
            @JsonProperty("passThreshold") Double passThreshold,
            @JsonProperty("wholeNumbers") Boolean wholeNumbers) {

        /** Returns the rubric; every scale field must be present. */
        Rubric rubric(Path file) {
            List<String> missing = new ArrayList<>();
            if (minScore == null) {
                missing.add("minScore");
            }
            if (maxScore == null) {
                missing.add("maxScore");
            }
            if (passThreshold == null) {
                missing.add("passThreshold");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("--rubric " + file + " lacks " + missing + "; a scoring judge needs"
                        + " the scale and the pass threshold, such as \"minScore\": 1, \"maxScore\": 5,"
                        + " \"passThreshold\": 4");
            }
            try {
                return new Rubric(name, criteria, minScore, maxScore, passThreshold, !Boolean.FALSE.equals(wholeNumbers));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--rubric " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** One entry of the signals file: {@code {"name", "description"}}. */
    record SignalEntry(@JsonProperty("name") String name, @JsonProperty("description") String description) {
    }

    static RubricFile readRubric(Path file) {
        RubricFile rubric = readJson(file, "--rubric", RubricFile.class);
        if (rubric.name() == null || rubric.name().isBlank()) {
            throw new IllegalArgumentException("--rubric " + file + " has no \"name\"; name the rubric, such as"
                    + " \"helpfulness\"");
        }
        if (rubric.criteria() == null || rubric.criteria().isBlank()) {
            throw new IllegalArgumentException("--rubric " + file + " has no \"criteria\"; write what each score"
                    + " means, or what makes one answer better");
        }
        return rubric;
    }

    static List<TwoTierJudge.Signal> readSignals(Path file) {
        SignalEntry[] entries = readJson(file, "--signals", SignalEntry[].class);
        if (entries.length == 0) {
            throw new IllegalArgumentException("--signals " + file + " is an empty array; list at least one"
                    + " {\"name\", \"description\"}");
        }
        List<TwoTierJudge.Signal> signals = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            SignalEntry entry = entries[i];
            if (entry == null || entry.name() == null || entry.description() == null) {
                throw new IllegalArgumentException("--signals " + file + ": element " + i + " needs \"name\" and"
                        + " \"description\"");
            }
            signals.add(new TwoTierJudge.Signal(entry.name(), entry.description()));
        }
        return signals;
    }

    private static <T> T readJson(Path file, String option, Class<T> type) {
        try (Reader reader = InputFiles.open(file, option)) {
            T value = Json.mapper().readValue(reader, type);
            if (value == null) {
                throw new IllegalArgumentException(option + " " + file + " contains null; write a JSON document");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(option + " " + file + " is not valid: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        }
    }

    /** Returns the conversation as the judge sees it: the only turn's text, else one "role: text" line per turn. */
    static String question(Interaction row) {
        if (row.turns().size() == 1) {
            return row.turns().get(0).content();
        }
        List<String> lines = new ArrayList<>(row.turns().size());
        for (Turn turn : row.turns()) {
            lines.add(turn.role() + ": " + turn.content());
        }
        return String.join("\n", lines);
    }

    /** Returns the text to judge: the answer, else the tool calls as JSON, else the label; null when none. */
    static String answer(Prediction prediction) {
        if (prediction.answer() != null && !prediction.answer().isBlank()) {
            return prediction.answer();
        }
        if (!prediction.toolCalls().isEmpty()) {
            return json(prediction.toolCalls());
        }
        return prediction.label();
    }

    /** Returns the gold answer text, else the reference tool calls as JSON, else null. */
    static String reference(Interaction row) {
        if (row.expected() == null) {
            return null;
        }
        if (row.expected().answer() != null) {
            return row.expected().answer();
        }
        return row.expected().toolCalls().isEmpty() ? null : json(row.expected().toolCalls());
    }

    /** Returns the metadata value under {@code key} as text (JSON for objects), or null when absent. */
    static String context(Interaction row, String key) {
        JsonNode value = row.metadata().get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.asText() : json(value);
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failed to write " + value.getClass().getSimpleName().toLowerCase(
                    Locale.ROOT) + " as JSON", e);
        }
    }
}
