package dev.tuneladder.core.judging;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.JsonLines;
import java.io.Reader;
import java.io.Writer;
import java.util.List;

/**
 * Reads and writes verdicts as JSON Lines, one {@link JudgeVerdict} per line. Null fields are left out, so a
 * reader that needs only {@code itemId}, {@code judge}, {@code verdict} and {@code swapped} can ignore the rest.
 */
public final class JudgeVerdicts {

    private JudgeVerdicts() {
    }

    /** Writes each verdict as one line of compact JSON. */
    public static void write(Writer output, Iterable<JudgeVerdict> verdicts) {
        JsonLines.write(output, verdicts);
    }

    /**
     * Reads verdicts; an invalid line goes to {@code badRows} with its line number.
     *
     * @param source the file name used in messages
     */
    public static List<JudgeVerdict> read(Reader input, String source, BadRows badRows) {
        return JsonLines.read(input, source, JudgeVerdict.class, badRows);
    }
}
