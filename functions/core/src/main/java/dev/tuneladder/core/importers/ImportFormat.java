package dev.tuneladder.core.importers;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The input formats a dataset import reads, for a command line to dispatch on. */
public enum ImportFormat {

    /** BANKING77 CSV with the header {@code text,category}; see {@link Banking77Importer}. */
    BANKING77,
    /** A BFCL v3 question file and its possible-answer file; see {@link BfclImporter}. */
    BFCL,
    /** CSV with a header row, mapped by {@link ColumnMapping}; see {@link MappedTableImporter#readCsv}. */
    CSV,
    /** JSON Lines of objects, mapped by {@link ColumnMapping}; see {@link MappedTableImporter#readJsonLines}. */
    JSONL;

    /** Returns the lower-case name used on the command line, such as {@code banking77}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the format with the given name, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted formats when the name matches none
     */
    public static ImportFormat parse(String name) {
        for (ImportFormat format : values()) {
            if (format.label().equalsIgnoreCase(name.trim())) {
                return format;
            }
        }
        String accepted = Arrays.stream(values()).map(ImportFormat::label).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown import format '" + name + "'; use one of " + accepted);
    }

    /**
     * Returns the default id prefix for a file: its name without directories and without the last extension
     * ({@code data/train.csv} gives {@code train}).
     */
    public static String idPrefixOf(String path) {
        String fileName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
