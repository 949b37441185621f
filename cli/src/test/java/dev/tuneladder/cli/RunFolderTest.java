package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

    @TempDir
    Path work;

    @Test
    void sha256_matchesPublishedVector() throws IOException {
        // FIPS 180-2 test vector: SHA-256("abc").
        Path file = Files.writeString(work.resolve("abc.txt"), "abc", StandardCharsets.US_ASCII);

        assertThat(RunFolder.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void create_defaultsToDatasetAndUtcTimestamp() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-04T20:45:12Z"), ZoneOffset.UTC);
        Path previous = Path.of("").toAbsolutePath();

        RunFolder run = RunFolder.create(null, "banking77", clock);

        assertThat(run.root()).isEqualTo(Path.of("runs", "banking77-20261204-204512"));
        assertThat(previous).isEqualTo(Path.of("").toAbsolutePath());
        run.root().toFile().delete();
    }

    @Test
    void create_rejectsFileAsOutputFolder() throws IOException {
        Path file = Files.writeString(work.resolve("taken"), "x");

        assertThatThrownBy(() -> RunFolder.create(file, "x", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--out " + file + " is a file");
    }

    @Test
    void runManifest_listsInputsAndOutputsWithChecksums() throws IOException {
        Path input = Files.writeString(work.resolve("input.txt"), "abc", StandardCharsets.US_ASCII);
        RunFolder run = RunFolder.create(work.resolve("out"), "x", Clock.systemUTC());
        run.recordInput("dataset", input);
        run.writeJsonLines("rows.jsonl", List.of(Map.of("id", "a")));

        run.writeRunManifest();

        JsonNode manifest = Json.mapper().readTree(work.resolve("out/run.json").toFile());
        assertThat(manifest.get("inputs").get("dataset").get("bytes").asLong()).isEqualTo(3);
        assertThat(manifest.get("inputs").get("dataset").get("sha256").asText()).startsWith("ba7816bf");
        assertThat(manifest.get("outputs").get(0).get("path").asText()).isEqualTo("rows.jsonl");
        assertThat(manifest.get("outputs").get(0).get("sha256").asText()).hasSize(64);
    }

    @Test
    void writeRejects_writesOnlyWhenRowsWereRejected() throws IOException {
        RunFolder run = RunFolder.create(work.resolve("out"), "x", Clock.systemUTC());
        BadRows none = new BadRows(3);
        BadRows some = new BadRows(3);
        some.reject("train.csv", 7, "empty text", ",card_arrival");

        assertThat(run.writeRejects(none)).isNull();
        Path rejects = run.writeRejects(some);

        JsonNode row = Json.mapper().readTree(Files.readAllLines(rejects).get(0));
        assertThat(row.get("source").asText()).isEqualTo("train.csv");
        assertThat(row.get("line").asLong()).isEqualTo(7);
        assertThat(row.get("reason").asText()).isEqualTo("empty text");
        assertThat(row.get("raw").asText()).isEqualTo(",card_arrival");
    }
}
