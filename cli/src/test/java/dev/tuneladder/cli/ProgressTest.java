package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void logMode_printsAtIntervalsAndSummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        try (Progress progress = new Progress("embedding", 2000, out, false, clock::get)) {
            clock.set(1_000_000_000L);
            progress.advance(500);
            clock.set(6_000_000_000L);
            progress.advance(500);
            clock.set(10_000_000_000L);
            progress.advance(1000);
        }

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines).containsExactly(
                "embedding: 1,000/2,000 (50%), 167/s, about 6 s left",
                "embedding: 2,000 done in 10.0 s (200/s)");
    }

    @Test
    void terminalMode_overwritesOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        try (Progress progress = new Progress("routing", 10, out, true, clock::get)) {
            clock.set(500_000_000L);
            progress.advance(5);
            clock.set(1_000_000_000L);
            progress.advance(5);
        }

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\rrouting: 5/10 (50%)");
        assertThat(text).contains("\rrouting: 10 done in 1.0 s (10/s)");
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void close_secondCallPrintsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Progress progress = new Progress("import", 0, out, false, () -> 1_000_000_000L);

        progress.close();
        int length = bytes.size();
        progress.close();

        assertThat(bytes.size()).isEqualTo(length);
    }
}
