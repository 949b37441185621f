package dev.tuneladder.core.importers;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Berkeley Function Calling Leaderboard v3 test categories that {@link BfclImporter} reads. The category is
 * part of the file name: {@code BFCL_v3_<category>.json}, with the answers in {@code possible_answer/} under the
 * same name.
 */
public enum BfclCategory {

    /** One function offered, one call expected. */
    SIMPLE,
    /** Two to four functions offered, one call of the right one expected. */
    MULTIPLE,
    /** One function offered, several calls of it expected in any order. */
    PARALLEL,
    /** Several functions offered, several calls expected in any order. */
    PARALLEL_MULTIPLE,
    /**
     * Several user turns against stateful backend classes. The functions are not in the file (the question names
     * its {@code involved_classes}), and the answers are Python call strings per turn.
     */
    MULTI_TURN_BASE;

    private static final Pattern FILE_NAME = Pattern.compile("BFCL_v3_([a-z_]+)\\.json");

    /** Returns the name used in file names and in the {@code category} metadata, such as {@code parallel_multiple}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the question file name, {@code BFCL_v3_<label>.json}; the answer file has the same name. */
    public String fileName() {
        return "BFCL_v3_" + label() + ".json";
    }

    /** Returns whether answers are per-turn call strings rather than structured calls. */
    public boolean isMultiTurn() {
        return this == MULTI_TURN_BASE;
    }

    /**
     * Returns the category of a question or answer file from its name; directories in front of the name are
     * ignored.
     *
     * @throws IllegalArgumentException when the name is not {@code BFCL_v3_<category>.json} for a supported
     *     category
     */
    public static BfclCategory ofFileName(String path) {
        String fileName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        Matcher matcher = FILE_NAME.matcher(fileName);
        if (matcher.matches()) {
            for (BfclCategory category : values()) {
                if (category.label().equals(matcher.group(1))) {
                    return category;
                }
            }
        }
        throw new IllegalArgumentException("cannot determine the BFCL category of '" + fileName + "': expected a file"
                + " named BFCL_v3_<category>.json with a category among " + labels()
                + ". Keep the upstream file name.");
    }

    private static String labels() {
        return Arrays.stream(values()).map(BfclCategory::label).collect(Collectors.joining(", "));
    }
}
