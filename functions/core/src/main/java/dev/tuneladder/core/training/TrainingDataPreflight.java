package dev.tuneladder.core.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneladder.core.storage.BlobKeys;
import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.training.PreflightProblem.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a run's exported training files before a training job is paid for: the folders hold only {@code .jsonl}
 * files, in UTF-8, every line is an example in the {@link ChatExamples} shape, ids are unique across both
 * folders, and the example counts and sizes lie within {@link TrainingDataSettings}.
 *
 * <p>Line findings name the object and the line, such as {@code s3://bucket/runs/r1/training-data/train/train.jsonl:17},
 * and never quote the line, because it contains customer text. After {@value #MAX_LINE_PROBLEMS} line findings the rest
 * are counted in one more finding.
 */
public final class TrainingDataPreflight {

    /** Line findings reported one by one; a file with a systematic fault would otherwise list every line. */
    static final int MAX_LINE_PROBLEMS = 20;

    private static final String REEXPORT = "export the training data again from the run's train split";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainingDataPreflight() {
    }

    /**
     * Checks the training folder and, when given, the validation folder.
     *
     * @param trainPrefix the training channel's folder in {@code store}, ending in '/'
     * @param validationPrefix the validation channel's folder, ending in '/', or null when there is none
     */
    public static TrainingDataReport check(BlobStore store, String trainPrefix, String validationPrefix,
            TrainingDataSettings settings) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(settings, "settings");
        requireFolder(trainPrefix);
        if (validationPrefix != null) {
            requireFolder(validationPrefix);
        }

        Scan scan = new Scan(store, settings);
        long trainExamples = scan.folder(trainPrefix);
        long validationExamples = validationPrefix == null ? 0 : scan.folder(validationPrefix);
        scan.finish();

        String trainLocation = folderLocation(store, trainPrefix);
        if (trainExamples < settings.minExamples()) {
            scan.add(Severity.ERROR, trainLocation, trainExamples + " training examples, fewer than the minimum of "
                    + settings.minExamples(), "add labelled rows to the train split, or lower minExamples if a"
                    + " small run is intended");
        } else if (trainExamples > settings.maxExamples()) {
            scan.add(Severity.ERROR, trainLocation, trainExamples + " training examples, more than the maximum of "
                    + settings.maxExamples(), "sample the train split down, or raise maxExamples");
        }
        if (validationPrefix != null && validationExamples == 0) {
            scan.add(Severity.ERROR, folderLocation(store, validationPrefix), "the validation folder has no"
                    + " examples", "raise validationFraction or set it to 0 for no validation file");
        }
        if (scan.bytes > settings.maxTotalBytes()) {
            scan.add(Severity.ERROR, trainLocation, String.format(Locale.ROOT, "the training files total %d bytes,"
                    + " more than the maximum of %d", scan.bytes, settings.maxTotalBytes()),
                    "sample the train split down, or raise maxTotalBytes and the training volume size");
        }

        scan.problems.sort(Comparator.comparing(PreflightProblem::severity));
        return new TrainingDataReport(trainLocation, scan.files, trainExamples, validationExamples, scan.bytes,
                scan.problems);
    }

    /** Returns where a folder lives; {@link BlobStore#location} takes object keys only. */
    static String folderLocation(BlobStore store, String prefix) {
        return store.name() + (store.name().endsWith("/") ? "" : "/") + prefix;
    }

    private static void requireFolder(String prefix) {
        BlobKeys.requireValidPrefix(prefix);
        if (prefix.isEmpty() || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("training data prefix '" + prefix + "' must name one folder and end"
                    + " with '/'");
        }
    }

    /** The state of one check across both folders. */
    private static final class Scan {

        final BlobStore store;
        final TrainingDataSettings settings;
        final List<PreflightProblem> problems = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        int files;
        long bytes;
        long lineProblems;

        Scan(BlobStore store, TrainingDataSettings settings) {
            this.store = store;
            this.settings = settings;
        }

        void add(Severity severity, String file, String reason, String fix) {
            problems.add(new PreflightProblem(severity, file, reason, fix));
        }

        /** Checks every object under {@code prefix}; returns its example count. */
        long folder(String prefix) {
            List<String> keys;
            try (Stream<String> listed = store.list(prefix)) {
                keys = listed.toList();
            }
            if (keys.isEmpty()) {
                add(Severity.ERROR, folderLocation(store, prefix), "the folder has no files", REEXPORT);
                return 0;
            }
            long examples = 0;
            for (String key : keys) {
                files++;
                bytes += store.size(key).orElse(0);
                if (!key.endsWith(".jsonl")) {
                    add(Severity.ERROR, store.location(key), "not a .jsonl file; the training script reads only"
                            + " .jsonl files and the channel copies every object to the instance",
                            "remove it from the folder");
                    continue;
                }
                examples += file(key);
            }
            return examples;
        }

        private long file(String key) {
            String location = store.location(key);
            long examples = 0;
            long number = 0;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(store.open(key),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    if (checkLine(location, number, line)) {
                        examples++;
                    }
                }
            } catch (CharacterCodingException e) {
                add(Severity.ERROR, location + ":" + (number + 1), "not valid UTF-8", REEXPORT);
            } catch (IOException e) {
                throw new UncheckedIOException("failed to read " + location, e);
            }
            if (examples == 0 && number > 0) {
                add(Severity.ERROR, location, "the file has no valid example", REEXPORT);
            }
            return examples;
        }

        /** Returns whether the line is a valid example; records a finding when it is not. */
        private boolean checkLine(String location, long number, String line) {
            int length = line.getBytes(StandardCharsets.UTF_8).length;
            if (length > settings.maxExampleBytes()) {
                lineProblem(location, number, "the example has " + length + " bytes, more than the maximum of "
                        + settings.maxExampleBytes(), "drop or shorten the row, or raise maxExampleBytes");
                return false;
            }
            JsonNode parsed;
            try {
                parsed = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                lineProblem(location, number, "not valid JSON: " + e.getOriginalMessage(), REEXPORT);
                return false;
            }
            String problem = ChatExamples.problem(parsed);
            if (problem != null) {
                lineProblem(location, number, "not a " + ChatExamples.FORMAT + " example: " + problem, REEXPORT);
                return false;
            }
            JsonNode id = parsed.get("id");
            if (id != null && id.isTextual() && !ids.add(id.asText())) {
                lineProblem(location, number, "example id '" + id.asText() + "' appears earlier in the training"
                        + " files; a row in both training and validation would leak into the validation loss",
                        "give every row of the train split a unique id");
                return false;
            }
            return true;
        }

        private void lineProblem(String location, long number, String reason, String fix) {
            lineProblems++;
            if (lineProblems <= MAX_LINE_PROBLEMS) {
                add(Severity.ERROR, location + ":" + number, reason, fix);
            }
        }

        void finish() {
            if (lineProblems > MAX_LINE_PROBLEMS) {
                add(Severity.ERROR, "(more lines)", (lineProblems - MAX_LINE_PROBLEMS) + " more invalid lines"
                        + " beyond the " + MAX_LINE_PROBLEMS + " listed", REEXPORT);
            }
        }
    }
}
