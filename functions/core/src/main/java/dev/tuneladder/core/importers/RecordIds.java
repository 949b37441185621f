package dev.tuneladder.core.importers;

import java.util.Locale;
import java.util.Objects;

/** Ids for rows whose source has no id column. */
final class RecordIds {

    private RecordIds() {
    }

    /**
     * Returns {@code <prefix>-<number>} with the number zero-padded to five digits ({@code train-00001}), so that
     * ids of files up to 99,999 rows sort in file order; larger numbers simply take more digits.
     */
    static String sequential(String prefix, long recordNumber) {
        return String.format(Locale.ROOT, "%s-%05d", prefix, recordNumber);
    }

    /** Returns {@code prefix}, or throws {@link IllegalArgumentException} when it is blank. */
    static String requirePrefix(String prefix) {
        Objects.requireNonNull(prefix, "idPrefix");
        if (prefix.isBlank()) {
            throw new IllegalArgumentException("id prefix is blank; pass a prefix such as the file's base name,"
                    + " or map an id column with --id-column");
        }
        return prefix;
    }
}
