package dev.tuneladder.core.importers;

import java.util.Objects;

/**
 * The columns of a generic CSV file, or fields of a JSON Lines object, that contain the text, label and id of an
 * {@link dev.tuneladder.core.data.Interaction}. Set on the command line by {@code --text-column},
 * {@code --label-column} and {@code --id-column}.
 *
 * @param textColumn the user's utterance; required
 * @param labelColumn the intent label, or null when the data is unlabelled
 * @param idColumn the row id, or null to number rows as {@code <prefix>-<record number>}
 */
public record ColumnMapping(String textColumn, String labelColumn, String idColumn) {

    public ColumnMapping {
        Objects.requireNonNull(textColumn, "textColumn");
        if (textColumn.isBlank()) {
            throw new IllegalArgumentException("--text-column is blank; give the column that contains the text");
        }
        requireNotBlank(labelColumn, "--label-column");
        requireNotBlank(idColumn, "--id-column");
        if (textColumn.equals(labelColumn) || textColumn.equals(idColumn)
                || labelColumn != null && labelColumn.equals(idColumn)) {
            throw new IllegalArgumentException("--text-column '" + textColumn + "', --label-column '" + labelColumn
                    + "' and --id-column '" + idColumn + "' must name different columns");
        }
    }

    /** Creates a mapping of a text column only: unlabelled rows with numbered ids. */
    public static ColumnMapping ofText(String textColumn) {
        return new ColumnMapping(textColumn, null, null);
    }

    private static void requireNotBlank(String column, String option) {
        if (column != null && column.isBlank()) {
            throw new IllegalArgumentException(option + " is blank; give the column name or leave the option out");
        }
    }
}
