package dev.tuneladder.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.data.RejectedRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output folder of one command: its config, its inputs' checksums, its outputs and rejected rows.
 *
 * <p>Layout: {@code config.json} (the command and options), {@code run.json} (inputs and outputs with SHA-256
 * checksums), {@code rejects.jsonl} when any input row was rejected, plus whatever the command writes.
 */
final class RunFolder {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path root;
    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private final List<Path> outputs = new ArrayList<>();

    private RunFolder(Path root) {
        this.root = root;
    }

    /**
     * Creates the folder: {@code out} when given, else {@code runs/<datasetName>-<UTC timestamp>}.
     *
     * @throws IllegalArgumentException when {@code out} exists and is a non-empty folder of another kind
     */
    static RunFolder create(Path out, String datasetName, Clock clock) {
        Path root = out != null ? out : Path.of("runs", datasetName + "-" + TIMESTAMP.format(clock.instant()));
        try {
            if (Files.exists(root) && !Files.isDirectory(root)) {
                throw new IllegalArgumentException("--out " + root + " is a file; give a folder path");
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to create output folder " + root, e);
        }
        return new RunFolder(root);
    }

    /** Returns a name for the run folder from a dataset path: its file name without extension. */
    static String datasetName(Path dataset) {
        String name = dataset.toAbsolutePath().normalize().getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    Path root() {
        return root;
    }

    Path resolve(String relative) {
        Path path = root.resolve(relative);
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to create folder " + path.getParent(), e);
        }
        return path;
    }

    /** Records an input file so its checksum lands in {@code run.json}. */
    void recordInput(String role, Path file) {
        inputs.put(role, file);
    }

    /** Writes a JSON document, pretty-printed, and records it as an output. */
    Path writeJson(String relative, Object value) {
        Path path = resolve(relative);
        try {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(path.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + path, e);
        }
        outputs.add(path);
        return path;
    }

    /** Writes rows as JSON Lines and records the file as an output. */
    <T> Path writeJsonLines(String relative, Iterable<T> rows) {
        Path path = resolve(relative);
        try (Writer writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            JsonLines.write(writer, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + path, e);
        }
        outputs.add(path);
        return path;
    }

    /** Writes a text file (a report) and records it as an output. */
    Path writeText(String relative, String text) {
        Path path = resolve(relative);
        try {
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + path, e);
        }
        outputs.add(path);
        return path;
    }

    /** Records a file or folder written by someone else (an index) as an output. */
    void recordOutput(Path path) {
        outputs.add(path);
    }

    /** Writes {@code rejects.jsonl} when rows were rejected; returns its path, or null when none were. */
    Path writeRejects(BadRows badRows) {
        if (badRows.count() == 0) {
            return null;
        }
        List<RejectedRow> rows = badRows.rejected();
        return writeJsonLines("rejects.jsonl", rows);
    }

    /** Writes {@code config.json} with the command name and its options. */
    void writeConfig(String command, Map<String, Object> options) {
        ObjectNode config = Json.mapper().createObjectNode();
        config.put("command", command);
        config.put("version", TuneladderCommand.VERSION);
        config.set("options", Json.mapper().valueToTree(options));
        writeJson("config.json", config);
    }

    /** Writes {@code run.json}: every recorded input and output with its size and SHA-256. */
    void writeRunManifest() {
        ObjectNode manifest = Json.mapper().createObjectNode();
        ObjectNode inputNode = manifest.putObject("inputs");
        inputs.forEach((role, file) -> inputNode.set(role, describe(file)));
        ArrayNode outputNode = manifest.putArray("outputs");
        for (Path output : outputs) {
            if (Files.isRegularFile(output)) {
                ObjectNode entry = describe(output);
                entry.put("path", root.relativize(output).toString());
                outputNode.add(entry);
            } else {
                outputNode.addObject().put("path", root.relativize(output).toString()).put("kind", "folder");
            }
        }
        Path path = resolve("run.json");
        try {
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(path.toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + path, e);
        }
    }

    private static ObjectNode describe(Path file) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("file", file.toString());
        try {
            node.put("bytes", Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read the size of " + file, e);
        }
        node.put("sha256", sha256(file));
        return node;
    }

    /** Returns the lowercase hex SHA-256 of a file's bytes. */
    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) != -1) {
                // The digest stream hashes while reading.
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
