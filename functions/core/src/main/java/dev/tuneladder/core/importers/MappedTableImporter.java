package dev.tuneladder.core.importers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.data.JsonLines;
import dev.tuneladder.core.data.Turn;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports single-turn interactions from a generic table, a CSV file with a header row or a JSON Lines file of
 * objects, through a {@link ColumnMapping}.
 *
 * <p>The text column becomes the one user turn, the label column the intent (an empty or null label leaves the row
 * unlabelled) and the id column the id. Without an id column the id is {@code <idPrefix>-<record number>}, the
 * 1-based number among non-blank records padded to five digits. Every other column or field goes into metadata
 * under its own name: CSV cells as JSON strings, JSON values as they are.
 *
 * <p>Bad rows: a CSV record whose field count differs from the header's, a JSON line that is not an object or
 * lacks a mapped field, an empty text, an empty id and a duplicate id. A mapped column missing from the CSV header
 * fails the whole import, because every row would be bad.
 */
public final class MappedTableImporter {

    private static final String CSV_EXPECTED = "a header row naming the columns, then one record per row";

    private MappedTableImporter() {
    }

    /**
     * Reads a CSV file with a header row to the end and closes it.
     *
     * @param source the file name used in messages
     * @param idPrefix the prefix of numbered ids; may be null when {@code mapping} names an id column
     * @throws DatasetFormatException when a mapped column is missing from the header, a header name repeats, the
     *     file has no data rows, a quote is not closed, or there are more bad rows than {@code badRows} allows
     */
    public static List<Interaction> readCsv(
            Reader input, String source, ColumnMapping mapping, String idPrefix, BadRows badRows) {
        requirePrefixUnlessIdColumn(mapping, idPrefix);
        List<Interaction> interactions = new ArrayList<>();
        Map<String, Long> firstLineById = new HashMap<>();
        long dataRecords = 0;

        try (CsvRows rows = new CsvRows(input, source)) {
            CsvRows.Row header = rows.header(CSV_EXPECTED);
            List<String> names = header.values();
            checkUniqueNames(header, source);
            int textIndex = indexOf(names, mapping.textColumn(), "--text-column", header, source);
            int labelIndex = indexOf(names, mapping.labelColumn(), "--label-column", header, source);
            int idIndex = indexOf(names, mapping.idColumn(), "--id-column", header, source);

            CsvRows.Row row;
            while ((row = rows.next()) != null) {
                dataRecords = row.number();
                List<String> values = row.values();
                if (values.size() != names.size()) {
                    badRows.reject(source, row.line(), "expected " + names.size() + " fields as in the header but"
                            + " found " + values.size() + "; enclose a field that contains a comma in double quotes",
                            row.raw());
                    continue;
                }
                String text = values.get(textIndex);
                if (text.isBlank()) {
                    badRows.reject(source, row.line(), "empty text in column '" + mapping.textColumn() + "'",
                            row.raw());
                    continue;
                }

                String id = idIndex < 0 ? RecordIds.sequential(idPrefix, row.number()) : values.get(idIndex);
                String idProblem = idProblem(id, mapping, firstLineById, row.line());
                if (idProblem != null) {
                    badRows.reject(source, row.line(), idProblem, row.raw());
                    continue;
                }

                Map<String, JsonNode> metadata = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    if (i != textIndex && i != labelIndex && i != idIndex) {
                        metadata.put(names.get(i), TextNode.valueOf(values.get(i)));
                    }
                }
                String label = labelIndex < 0 ? null : values.get(labelIndex);
                interactions.add(new Interaction(id, List.of(Turn.user(text)), label, null, null, metadata));
            }
        }

        if (dataRecords == 0) {
            throw new DatasetFormatException(source + " has no rows: it contains only the header. Expected "
                    + CSV_EXPECTED + ".");
        }
        return interactions;
    }

    /**
     * Reads a JSON Lines file of objects to the end and closes it.
     *
     * @param source the file name used in messages
     * @param idPrefix the prefix of numbered ids; may be null when {@code mapping} names an id column
     * @throws DatasetFormatException when the file has no rows, or there are more bad rows than {@code badRows}
     *     allows
     */
    public static List<Interaction> readJsonLines(
            Reader input, String source, ColumnMapping mapping, String idPrefix, BadRows badRows) {
        requirePrefixUnlessIdColumn(mapping, idPrefix);
        Map<String, Long> firstLineById = new HashMap<>();
        long[] records = {0};

        return JsonLines.readNumbered(input, source, (lineNumber, line) -> {
            records[0]++;
            JsonNode row = Json.mapper().readTree(line);
            if (!row.isObject()) {
                throw new IllegalArgumentException("expected a JSON object, found " + typeOf(row));
            }

            String text = requireField(row, mapping.textColumn(), "--text-column", "the text");
            if (!row.get(mapping.textColumn()).isTextual()) {
                throw new IllegalArgumentException("field '" + mapping.textColumn() + "' (--text-column) must be a"
                        + " string, found " + typeOf(row.get(mapping.textColumn())));
            }
            if (text.isBlank()) {
                throw new IllegalArgumentException("empty text in field '" + mapping.textColumn() + "'");
            }

            String id = mapping.idColumn() == null
                    ? RecordIds.sequential(idPrefix, records[0])
                    : requireField(row, mapping.idColumn(), "--id-column", "the row id");
            String idProblem = idProblem(id, mapping, firstLineById, lineNumber);
            if (idProblem != null) {
                throw new IllegalArgumentException(idProblem);
            }

            String label = mapping.labelColumn() == null
                    ? null
                    : requireField(row, mapping.labelColumn(), "--label-column", "the label");

            Map<String, JsonNode> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : row.properties()) {
                String name = field.getKey();
                if (!name.equals(mapping.textColumn()) && !name.equals(mapping.labelColumn())
                        && !name.equals(mapping.idColumn())) {
                    metadata.put(name, field.getValue());
                }
            }
            return new Interaction(id, List.of(Turn.user(text)), label, null, null, metadata);
        }, badRows);
    }

    /**
     * Returns a mapped field as text: a string, number or boolean as written, JSON null as null for the label.
     *
     * @throws IllegalArgumentException when the field is missing, is an object or array, or is a null id or text
     */
    private static String requireField(JsonNode row, String field, String option, String contents) {
        JsonNode value = row.get(field);
        if (value == null) {
            List<String> available = new ArrayList<>();
            row.fieldNames().forEachRemaining(available::add);
            throw new IllegalArgumentException("missing field '" + field + "' for " + option + "; this row has the"
                    + " fields " + available + ". Set " + option + " to the field that contains " + contents);
        }
        if (value.isNull() && "--label-column".equals(option)) {
            return null;
        }
        if (!value.isValueNode() || value.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' (" + option + ") must be a string or a number,"
                    + " found " + typeOf(value));
        }
        return value.asText();
    }

    /** Returns why an id cannot be used, or null after recording it as seen at {@code line}. */
    private static String idProblem(String id, ColumnMapping mapping, Map<String, Long> firstLineById, long line) {
        if (id.isBlank()) {
            return "empty id in column '" + mapping.idColumn() + "'";
        }
        Long firstLine = firstLineById.putIfAbsent(id, line);
        if (firstLine != null) {
            return "duplicate id '" + id + "', first used at line " + firstLine;
        }
        return null;
    }

    private static int indexOf(List<String> names, String column, String option, CsvRows.Row header, String source) {
        if (column == null) {
            return -1;
        }
        int index = names.indexOf(column);
        if (index < 0) {
            throw new DatasetFormatException(source + ":" + header.line() + ": no column '" + column + "' for "
                    + option + "; the header has the columns " + names + ". Set " + option + " to one of them.");
        }
        return index;
    }

    private static void checkUniqueNames(CsvRows.Row header, String source) {
        Map<String, Integer> positions = new HashMap<>();
        List<String> names = header.values();
        for (int i = 0; i < names.size(); i++) {
            Integer first = positions.putIfAbsent(names.get(i), i + 1);
            if (first != null) {
                throw new DatasetFormatException(source + ":" + header.line() + ": the header names column '"
                        + names.get(i) + "' twice (columns " + first + " and " + (i + 1) + "). Rename one of them.");
            }
        }
    }

    private static void requirePrefixUnlessIdColumn(ColumnMapping mapping, String idPrefix) {
        if (mapping.idColumn() == null) {
            RecordIds.requirePrefix(idPrefix);
        }
    }

    private static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
