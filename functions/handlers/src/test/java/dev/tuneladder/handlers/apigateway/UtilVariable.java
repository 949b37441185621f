package dev.tuneladder.handlers.apigateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** API Gateway's {@code $util} in a mapping template. */
public final class UtilVariable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Escapes with JavaScript string rules, as API Gateway documents: {@code "}, {@code \}, {@code /} and control
     * characters, and also {@code '} as {@code \'}, which JSON does not accept. Characters outside printable ASCII
     * become {@code \}{@code uXXXX}.
     *
     * <p>NOTE: whether API Gateway escapes non-ASCII characters or passes them through is not documented. Both give
     * valid JSON with the same decoded value, and the tests compare decoded values only.
     */
    public String escapeJavaScript(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\'' -> escaped.append("\\'");
                case '\\' -> escaped.append("\\\\");
                case '/' -> escaped.append("\\/");
                case '\b' -> escaped.append("\\b");
                case '\f' -> escaped.append("\\f");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        escaped.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    /** Parses JSON text into maps, lists and scalars. */
    public Object parseJson(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public String base64Encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public String base64Decode(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    public String urlEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    public String urlDecode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
