package dev.tuneladder.core.sampling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes split and sample results: each row list as JSON Lines and the manifest as indented JSON with {@code \n}
 * line breaks on every platform, so the same result gives the same bytes everywhere. The caller opens and closes
 * the writers; this class only writes and flushes.
 */
public final class SplitWriter {

    public static final String TRAIN_FILE = "train.jsonl";
    public static final String EVAL_FILE = "eval.jsonl";
    public static final String SAMPLE_FILE = "sample.jsonl";
    public static final String MANIFEST_FILE = "manifest.json";

    private static final ObjectWriter MANIFEST_WRITER = Json.mapper().writer(
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private SplitWriter() {
    }

    /** Writes the train, eval and sample rows and the manifest, each to its own writer. */
    public static void write(SplitResult result, Writer train, Writer eval, Writer sample, Writer manifest) {
        JsonLines.write(train, result.train());
        JsonLines.write(eval, result.eval());
        JsonLines.write(sample, result.sample());
        writeManifest(result.manifest(), manifest);
    }

    /** Writes the sample rows and the manifest of a random sample. */
    public static void write(SampleResult result, Writer sample, Writer manifest) {
        JsonLines.write(sample, result.sample());
        writeManifest(result.manifest(), manifest);
    }

    /** Writes {@code manifest} as indented JSON followed by a line break. */
    public static void writeManifest(Object manifest, Writer output) {
        try {
            output.write(manifestJson(manifest));
            output.write('\n');
            output.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write the manifest", e);
        }
    }

    /** Returns {@code manifest} as indented JSON with {@code \n} line breaks and no trailing line break. */
    public static String manifestJson(Object manifest) {
        try {
            return MANIFEST_WRITER.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failed to serialize the manifest " + manifest.getClass().getName(), e);
        }
    }
}
