package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.importers.Banking77Importer;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    /** Reads a label list: a JSON array of distinct strings, such as BANKING77's categories.json. */
    static Set<String> readLabels(Path file, String option) {
        return Banking77Importer.readCategories(open(file, option), file.toString());
    }
}
