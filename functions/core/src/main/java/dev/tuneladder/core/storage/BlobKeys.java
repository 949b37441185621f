package dev.tuneladder.core.storage;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * Rules for {@link BlobStore} keys and prefixes, shared by every implementation so that a key valid in one store
 * is valid in all of them.
 *
 * <p>A key is a relative path of segments separated by '/', such as {@code runs/r1/metrics.json}, on every OS.
 * It has no leading or trailing '/', no empty segment, no '.' or '..' segment, no '\' and no control character, and
 * is at most 1024 bytes in UTF-8 (the S3 limit).
 */
public final class BlobKeys {

    /** The maximum key length in UTF-8 bytes; S3 rejects longer keys. */
    public static final int MAX_KEY_BYTES = 1024;

    /**
     * Orders keys by their UTF-8 bytes, the order in which S3 lists keys. For strings this equals code point
     * order, which differs from {@link String#compareTo} (UTF-16 code units) only when a key contains characters
     * beyond U+FFFF.
     */
    public static final Comparator<String> UTF8_ORDER = BlobKeys::compareCodePoints;

    private static final String EXAMPLE = "; keys are '/'-separated relative paths such as runs/r1/metrics.json";

    private BlobKeys() {
    }

    /**
     * Returns {@code key} when it is a valid key.
     *
     * @throws IllegalArgumentException naming the key and the rule it breaks
     */
    public static String requireValidKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("invalid key '': a key must not be empty" + EXAMPLE);
        }
        if (key.endsWith("/")) {
            throw invalid("key", key, "it ends with '/', which names a folder, not an object");
        }
        checkPath("key", key);
        return key;
    }

    /**
     * Returns {@code prefix} when it is a valid listing prefix: empty, or the start of a valid key. A trailing '/'
     * is allowed, and the last segment may be a partial one ({@code runs/r1} matches {@code runs/r10/x} too).
     *
     * @throws IllegalArgumentException naming the prefix and the rule it breaks
     */
    public static String requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            return prefix;
        }
        checkPath("prefix", prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    /** Returns whether {@code key} is valid, for filtering names that a backend lists but a store cannot address. */
    public static boolean isValidKey(String key) {
        try {
            requireValidKey(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void checkPath(String kind, String path) {
        if (path.startsWith("/")) {
            throw invalid(kind, path, "it starts with '/'; give a path relative to the store");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                throw invalid(kind, path, "it contains '\\' at index " + i + "; use '/' as the separator on every OS");
            }
            if (Character.isISOControl(c)) {
                throw invalid(kind, path, "it contains the control character U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + " at index " + i);
            }
        }
        int bytes = path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw invalid(kind, path.substring(0, 40) + "...", "it is " + bytes + " bytes in UTF-8, more than the "
                    + MAX_KEY_BYTES + " that S3 allows");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                throw invalid(kind, path, "it has an empty segment ('//' or a leading '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid(kind, path, "it has a '" + segment + "' segment; give the path without it");
            }
        }
    }

    private static IllegalArgumentException invalid(String kind, String value, String reason) {
        return new IllegalArgumentException("invalid " + kind + " '" + value + "': " + reason + EXAMPLE);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
