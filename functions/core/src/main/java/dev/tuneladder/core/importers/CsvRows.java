package dev.tuneladder.core.importers;

import dev.tuneladder.core.data.DatasetFormatException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads RFC 4180 CSV record by record and keeps the line on which each record starts. Commons-csv does not report
 * that line, because its line counter gives the line where the last record read ended, and a record with quoted
 * line breaks spans several lines. Blank lines are skipped but still counted. Not thread-safe.
 */
final class CsvRows implements AutoCloseable {

    /** Blank lines come through as records so that the line count stays exact, and are skipped here. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

    private static final String QUOTE_FIX = "Enclose a field that contains a comma, a double quote or a line break"
            + " in double quotes, write each double quote inside it twice, and close every quote.";

    private final String source;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private long dataRecords;
    private boolean headerRead;

    CsvRows(Reader input, String source) {
        this.source = source;
        try {
            this.parser = CSVParser.builder().setReader(input).setFormat(FORMAT).get();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to open " + source + " as CSV", e);
        }
        this.records = parser.iterator();
    }

    /**
     * Reads the header, the first non-blank record, with a byte order mark removed from its first name.
     *
     * @throws DatasetFormatException when the input has no records at all; {@code expected} describes the rows
     *     the caller wants, for the message
     */
    Row header(String expected) {
        if (headerRead) {
            throw new IllegalStateException("header already read");
        }
        headerRead = true;
        Row header = nextNonBlank();
        if (header == null) {
            throw new DatasetFormatException(source + " has no rows: the file is empty. Expected " + expected + ".");
        }
        List<String> names = new ArrayList<>(header.values());
        if (names.get(0).startsWith("\uFEFF")) {
            names.set(0, names.get(0).substring(1));
        }
        return new Row(header.line(), 0, names);
    }

    /** Returns the next non-blank data record, or null at the end of the input. Reads the header first. */
    Row next() {
        if (!headerRead) {
            throw new IllegalStateException("read the header first");
        }
        Row row = nextNonBlank();
        if (row == null) {
            return null;
        }
        dataRecords++;
        return new Row(row.line(), dataRecords, row.values());
    }

    private Row nextNonBlank() {
        while (true) {
            long startLine = parser.getCurrentLineNumber() + 1;
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                record = records.next();
            } catch (UncheckedIOException e) {
                throw translate(e, startLine);
            }
            if (record.size() == 0 || record.size() == 1 && record.get(0).isEmpty()) {
                continue;
            }
            return new Row(startLine, 0, record.toList());
        }
    }

    private RuntimeException translate(UncheckedIOException e, long startLine) {
        if (e.getCause() instanceof CSVException csv) {
            return new DatasetFormatException(source + ":" + startLine + ": invalid CSV in the record that starts"
                    + " on this line (" + csv.getMessage() + "). " + QUOTE_FIX, e);
        }
        return new UncheckedIOException("failed to read " + source + " near line " + startLine, e.getCause());
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to close " + source, e);
        }
    }

    /**
     * One CSV record.
     *
     * @param line the 1-based line on which the record starts
     * @param number the 1-based position among data records (blank lines and the header not counted); 0 for the
     *     header
     * @param values the fields, unquoted
     */
    record Row(long line, long number, List<String> values) {

        Row {
            values = List.copyOf(values);
        }

        /** Returns the record written back as CSV; quoting may differ from the input's. */
        String raw() {
            return FORMAT.format(values.toArray());
        }
    }
}
