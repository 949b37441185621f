package dev.tuneladder.core.data;

import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who wrote it: {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content the message text; may be empty but never null
 */
public record Turn(String role, String content) {

    public Turn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isBlank()) {
            throw new IllegalArgumentException("turn role is blank; use user, assistant, system or tool");
        }
    }

    public static Turn user(String content) {
        return new Turn("user", content);
    }
}
