package dev.tuneladder.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.data.Prediction;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Opens the files the commands read, with errors that name the file and the option to fix. */
final class InputFiles {

    private InputFiles() {
    }

    /** Opens a UTF-8 file, failing with the option name when it does not exist. */
    static Reader open(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + " does not exist or is not a file");
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to open " + file, e);
        }
    }

    /** Reads interactions (JSON Lines) with unique ids, checking each with {@code validator}. */
    static List<Interaction> readInteractions(
            Path file, String option, Function<Interaction, String> validator, BadRows badRows) {
        try (Reader reader = open(file, option)) {
            return JsonLines.readUnique(reader, file.toString(), Interaction.class, Interaction::id, validator, badRows);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        }
    }

    /** Reads predictions (JSON Lines) with unique ids, checking each with {@code validator}. */
    static List<Prediction> readPredictions(
            Path file, String option, Function<Prediction, String> validator, BadRows badRows) {
        try (Reader reader = open(file, option)) {
            return JsonLines.readUnique(reader, file.toString(), Prediction.class, Prediction::id, validator, badRows);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        }
    }

    /** Reads a label list: a JSON array of strings, such as BANKING77's categories.json. */
    static Set<String> readLabels(Path file, String option) {
        try (Reader reader = open(file, option)) {
            List<String> labels = Json.mapper().readValue(reader, new TypeReference<List<String>>() {
            });
            if (labels == null || labels.isEmpty()) {
                throw new DatasetFormatException(file + " lists no labels; " + option
                        + " expects a JSON array of label strings");
            }
            Set<String> unique = new LinkedHashSet<>();
            for (String label : labels) {
                if (label == null || label.isBlank()) {
                    throw new DatasetFormatException(file + " contains a null or blank label; remove it");
                }
                if (!unique.add(label)) {
                    throw new DatasetFormatException(file + " lists label '" + label + "' twice; remove one");
                }
            }
            return unique;
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(file + " is not a JSON array of label strings (" + option + "): "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        }
    }
}
