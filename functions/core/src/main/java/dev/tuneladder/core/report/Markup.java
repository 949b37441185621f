package dev.tuneladder.core.report;

/**
 * Escaping for text placed in HTML or SVG markup that must also parse as XML.
 *
 * <p>The output is safe both as element text and inside a double- or single-quoted attribute value. Characters
 * that XML 1.0 does not allow (control characters other than tab, line feed and carriage return, unpaired
 * surrogates, U+FFFE and U+FFFF) become U+FFFD, so a stray byte in a label cannot make the page unparseable.
 */
public final class Markup {

    private static final char REPLACEMENT = '\uFFFD';

    private Markup() {
    }

    /** Escapes {@code text} for element content or attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> i = appendChecked(text, i, out);
            }
        }
        return out.toString();
    }

    /** Appends the character at {@code i}, or U+FFFD when XML forbids it; returns the index of its last char. */
    private static int appendChecked(String text, int i, StringBuilder out) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(i + 1));
            return i + 1;
        }
        boolean allowed = c == '\t' || c == '\n' || c == '\r'
                || (c >= 0x20 && c <= 0xFFFD && !Character.isSurrogate(c));
        out.append(allowed ? c : REPLACEMENT);
        return i;
    }
}
