package dev.tuneladder.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes JSON Lines: one JSON value per line, UTF-8. Blank lines are skipped.
 */
public final class JsonLines {

    private static final String NULL_LINE_REASON = "the line is JSON null; expected a JSON object";

    private JsonLines() {
    }

    /**
     * Reads every line as {@code type}. A line that does not parse, or whose record constructor rejects it, goes
     * to {@code badRows} with its line number.
     *
     * @param source the file name used in messages
     * @throws DatasetFormatException when the input has no rows or too many bad rows
     */
    public static <T> List<T> read(Reader input, String source, Class<T> type, BadRows badRows) {
        return read(input, source, line -> Json.mapper().readValue(line, type), badRows);
    }

    /** Reads interactions and rejects a row whose id was already seen, naming the first line that used it. */
    public static List<Interaction> readInteractions(Reader input, String source, BadRows badRows) {
        return readUnique(input, source, Interaction.class, Interaction::id, badRows);
    }

    /** Reads predictions and rejects a row whose id was already seen, naming the first line that used it. */
    public static List<Prediction> readPredictions(Reader input, String source, BadRows badRows) {
        return readUnique(input, source, Prediction.class, Prediction::id, badRows);
    }

    private static <T> List<T> readUnique(
            Reader input, String source, Class<T> type, Function<T, String> idOf, BadRows badRows) {
        return readUnique(input, source, type, idOf, row -> null, badRows);
    }

    /**
     * Reads rows of {@code type} with unique ids and checks each with {@code validator}, which returns null for
     * a good row or the reason a row is rejected.
     */
    public static <T> List<T> readUnique(Reader input, String source, Class<T> type, Function<T, String> idOf,
            Function<T, String> validator, BadRows badRows) {
        Map<String, Long> firstLineById = new HashMap<>();
        List<T> unique = new ArrayList<>();
        readLines(input, source, badRows, (lineNumber, line) -> {
            T row = requireValue(Json.mapper().readValue(line, type));
            String invalid = validator.apply(row);
            if (invalid != null) {
                badRows.reject(source, lineNumber, invalid, line);
                return;
            }
            Long firstLine = firstLineById.putIfAbsent(idOf.apply(row), lineNumber);
            if (firstLine != null) {
                badRows.reject(source, lineNumber, "duplicate id '" + idOf.apply(row) + "', first used at line "
                        + firstLine, line);
                return;
            }
            unique.add(row);
        });
        return unique;
    }

    /** Reads every line through {@code parser}; see {@link #read(Reader, String, Class, BadRows)}. */
    public static <T> List<T> read(Reader input, String source, LineParser<T> parser, BadRows badRows) {
        List<T> rows = new ArrayList<>();
        readLines(input, source, badRows, (lineNumber, line) -> rows.add(requireValue(parser.parse(line))));
        return rows;
    }

    /**
     * Reads every non-blank line through {@code parser}, which also receives the 1-based line number, so that it
     * can report rows that refer to other lines (a duplicate id, for example). A {@link JsonProcessingException},
     * {@link IllegalArgumentException} or {@link NullPointerException} from the parser, or a null result, sends
     * the line to {@code badRows} with the exception's message as the reason.
     *
     * @param source the file name used in messages
     * @throws DatasetFormatException when the input has no rows or too many bad rows
     */
    public static <T> List<T> readNumbered(
            Reader input, String source, NumberedLineParser<T> parser, BadRows badRows) {
        List<T> rows = new ArrayList<>();
        readLines(input, source, badRows,
                (lineNumber, line) -> rows.add(requireValue(parser.parse(lineNumber, line))));
        return rows;
    }

    /**
     * Rejects the null that Jackson returns for a line holding the JSON literal {@code null}, which would
     * otherwise reach the caller as a null element.
     */
    private static <T> T requireValue(T value) {
        if (value == null) {
            throw new IllegalArgumentException(NULL_LINE_REASON);
        }
        return value;
    }

    private static void readLines(Reader input, String source, BadRows badRows, LineConsumer consumer) {
        long lineNumber = 0;
        long nonBlank = 0;
        try (BufferedReader reader = new BufferedReader(input)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                nonBlank++;
                try {
                    consumer.accept(lineNumber, line);
                } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
                    badRows.reject(source, lineNumber, reasonOf(e), line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + source + " at line " + lineNumber, e);
        }
        if (nonBlank == 0) {
            throw new DatasetFormatException(source + " has no rows: expected one JSON object per line.");
        }
    }

    /** Writes each value as one line of compact JSON. */
    public static <T> void write(Writer output, Iterable<T> values) {
        ObjectWriter writer = Json.mapper().writer();
        try {
            for (T value : values) {
                output.write(writer.writeValueAsString(value));
                output.write('\n');
            }
            output.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write JSON Lines", e);
        }
    }

    /** Returns a one-line reason without Jackson's source excerpt, and the root cause of constructor errors. */
    static String reasonOf(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != e && (cause instanceof IllegalArgumentException || cause instanceof NullPointerException)) {
            String where = e instanceof JsonMappingException mapping ? nestedPathOf(mapping) : "";
            return cause instanceof NullPointerException
                    ? "missing required field " + cause.getMessage() + where
                    : cause.getMessage() + where;
        }
        if (e instanceof JsonMappingException mapping) {
            String path = mapping.getPath().isEmpty() ? "" : " at field '" + pathOf(mapping) + "'";
            return "invalid JSON row" + path + ": " + mapping.getOriginalMessage();
        }
        if (e instanceof JsonProcessingException processing) {
            return "invalid JSON: " + processing.getOriginalMessage();
        }
        if (e instanceof NullPointerException) {
            return "missing required field " + e.getMessage();
        }
        return e.getMessage();
    }

    /**
     * Returns " in 'turns[0]'" when a nested record's constructor failed, so that the reason names the element that
     * lacks the field. Returns "" for a failure of the top-level record, whose path is empty.
     */
    private static String nestedPathOf(JsonMappingException e) {
        String path = pathOf(e);
        return path.isEmpty() ? "" : " in '" + path + "'";
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Parses one non-blank line. */
    @FunctionalInterface
    public interface LineParser<T> {
        T parse(String line) throws JsonProcessingException;
    }

    /** Parses one non-blank line, given its 1-based line number. */
    @FunctionalInterface
    public interface NumberedLineParser<T> {
        T parse(long lineNumber, String line) throws JsonProcessingException;
    }

    @FunctionalInterface
    private interface LineConsumer {
        void accept(long lineNumber, String line) throws JsonProcessingException;
    }
}
