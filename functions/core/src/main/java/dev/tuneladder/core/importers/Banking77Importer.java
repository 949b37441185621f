package dev.tuneladder.core.importers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.DatasetFormatException;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Imports the BANKING77 intent dataset (Casanueva et al. 2020): an RFC 4180 CSV with the header
 * {@code text,category} and one customer utterance per record. Texts may contain quoted commas and line breaks.
 * Each text is kept exactly as written, leading and trailing line breaks included.
 *
 * <p>Each record becomes a single-turn {@link Interaction} whose intent is the category and whose id is
 * {@code <idPrefix>-<record number>} with the 1-based data record number padded to five digits
 * ({@code train-00001}). Record numbers count rejected records too, so an id always points at the same record.
 */
public final class Banking77Importer {

    /** The header every BANKING77 file starts with. */
    public static final List<String> HEADER = List.of("text", "category");

    private static final String EXPECTED = "the header 'text,category' followed by one 'utterance,category' record"
            + " per row";

    private Banking77Importer() {
    }

    /**
     * Reads a BANKING77 CSV to the end and closes it.
     *
     * <p>Bad rows, each reported at the line where its record starts: a record without exactly two fields, an
     * empty (blank) text, an empty category, and a category outside {@code allowedCategories}.
     *
     * @param input the CSV text
     * @param source the file name used in messages
     * @param idPrefix the id prefix, usually the file's base name ({@code train})
     * @param allowedCategories the valid categories (see {@link #readCategories}), or null to accept any
     * @throws DatasetFormatException when the header is not {@code text,category}, the file has no data rows, a
     *     quote is not closed, or there are more bad rows than {@code badRows} allows
     */
    public static List<Interaction> read(
            Reader input, String source, String idPrefix, Set<String> allowedCategories, BadRows badRows) {
        RecordIds.requirePrefix(idPrefix);
        List<Interaction> interactions = new ArrayList<>();
        long dataRecords = 0;

        try (CsvRows rows = new CsvRows(input, source)) {
            checkHeader(rows.header(EXPECTED), source);

            CsvRows.Row row;
            while ((row = rows.next()) != null) {
                dataRecords = row.number();
                String reason = problemOf(row.values(), allowedCategories);
                if (reason != null) {
                    badRows.reject(source, row.line(), reason, row.raw());
                    continue;
                }
                String id = RecordIds.sequential(idPrefix, row.number());
                interactions.add(Interaction.ofUtterance(id, row.values().get(0), row.values().get(1)));
            }
        }

        if (dataRecords == 0) {
            throw new DatasetFormatException(source + " has no rows: it contains only the header. Expected "
                    + EXPECTED + ".");
        }
        return interactions;
    }

    /**
     * Reads the list of valid categories, the JSON array of strings that BANKING77 ships as
     * {@code categories.json}. Closes the reader.
     *
     * @param source the file name used in messages
     * @throws DatasetFormatException when the text is not a non-empty JSON array of distinct, non-blank strings
     */
    public static Set<String> readCategories(Reader input, String source) {
        JsonNode root;
        try (input) {
            root = Json.mapper().readTree(input);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(source + " is not valid JSON (" + e.getOriginalMessage()
                    + "). Expected a JSON array of category names such as [\"card_arrival\", \"card_linking\"].", e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + source, e);
        }

        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new DatasetFormatException(source + " must contain a non-empty JSON array of category names such"
                    + " as [\"card_arrival\", \"card_linking\"], but contains " + describe(root) + ".");
        }
        Set<String> categories = new LinkedHashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            if (!element.isTextual() || element.asText().isBlank()) {
                throw new DatasetFormatException(source + ": element [" + i + "] must be a non-blank string, but is "
                        + describe(element) + ". Fix that element of the category list.");
            }
            if (!categories.add(element.asText())) {
                throw new DatasetFormatException(source + ": element [" + i + "] repeats the category '"
                        + element.asText() + "'. Remove the duplicate.");
            }
        }
        return Collections.unmodifiableSet(categories);
    }

    private static void checkHeader(CsvRows.Row header, String source) {
        List<String> names = header.values().stream().map(String::trim).toList();
        if (!names.equals(HEADER)) {
            throw new DatasetFormatException(source + ":" + header.line() + ": the header is '"
                    + String.join(",", header.values()) + "' but a BANKING77 file must start with 'text,category'."
                    + " Fix the header, or import the file as generic CSV with --text-column and --label-column.");
        }
    }

    /** Returns why a data record cannot be used, or null when it is valid. */
    private static String problemOf(List<String> values, Set<String> allowedCategories) {
        if (values.size() != HEADER.size()) {
            return "expected 2 fields (text,category) but found " + values.size()
                    + "; enclose a text that contains a comma in double quotes";
        }
        if (values.get(0).isBlank()) {
            return "empty text; every record needs an utterance in the text column";
        }
        String category = values.get(1);
        if (category.isBlank()) {
            return "empty category; every record needs one of the intent names in the category column";
        }
        if (allowedCategories != null && !allowedCategories.contains(category)) {
            return "unknown category '" + category + "', which is not among the " + allowedCategories.size()
                    + " allowed categories; correct the label, or add it to the categories file if it is a new"
                    + " intent";
        }
        return null;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isArray() && node.isEmpty()) {
            return "an empty array";
        }
        return "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
