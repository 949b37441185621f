package dev.tuneladder.core.planner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A named prompt text whose version is derived from its content, so that every prediction or verdict can name
 * the exact prompt that produced it.
 *
 * <p>The text may contain the placeholder {@value #EXAMPLES_PLACEHOLDER} once; the LLM planner replaces it with
 * the retrieved few-shot examples, or with nothing when it retrieves none. Judges do not use the placeholder.
 *
 * @param name a label for people and reports; not part of the version, so renaming keeps the version
 * @param text the prompt text sent to the model
 */
public record PromptTemplate(String name, String text) {

    /** Where the LLM planner puts the retrieved few-shot examples. */
    public static final String EXAMPLES_PLACEHOLDER = "{{examples}}";

    /** Number of hex characters of the SHA-256 digest kept as a version. */
    public static final int VERSION_LENGTH = 12;

    public PromptTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("prompt template '" + name + "' has a blank text");
        }
        int first = text.indexOf(EXAMPLES_PLACEHOLDER);
        if (first >= 0 && text.indexOf(EXAMPLES_PLACEHOLDER, first + 1) >= 0) {
            throw new IllegalArgumentException("prompt template '" + name + "' contains " + EXAMPLES_PLACEHOLDER
                    + " more than once; keep one, where the retrieved examples go");
        }
    }

    /** Returns the first {@value #VERSION_LENGTH} hex characters of the SHA-256 of {@link #text()} in UTF-8. */
    public String version() {
        return contentHash(text);
    }

    /** Returns whether the text contains {@value #EXAMPLES_PLACEHOLDER}. */
    public boolean hasExamplesPlaceholder() {
        return text.contains(EXAMPLES_PLACEHOLDER);
    }

    /** Returns the text with the placeholder replaced by {@code examplesBlock}; the text itself when it has none. */
    public String render(String examplesBlock) {
        return text.replace(EXAMPLES_PLACEHOLDER, examplesBlock);
    }

    /**
     * Returns the first {@value #VERSION_LENGTH} hex characters of the SHA-256 of the parts. Each part is
     * preceded by its length in UTF-16 units and a colon, so that moving text from one part to the next
     * changes the hash. A single part is hashed as is, which makes {@code contentHash(t)} equal to the version
     * of a template with text {@code t}.
     */
    public static String contentHash(String... parts) {
        MessageDigest digest = sha256();
        if (parts.length == 1) {
            digest.update(parts[0].getBytes(StandardCharsets.UTF_8));
        } else {
            for (String part : parts) {
                digest.update((part.length() + ":").getBytes(StandardCharsets.UTF_8));
                digest.update(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, VERSION_LENGTH);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest documentation).
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
