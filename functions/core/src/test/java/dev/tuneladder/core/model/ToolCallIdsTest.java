package dev.tuneladder.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.data.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallIdsTest {

    @Test
    void assign_takesIdsFromFollowingToolMessagesInOrder() {
        List<ChatMessage> messages = List.of(
                ChatMessage.user("q"),
                new ChatMessage("assistant", "", List.of(ToolCall.of("a"), ToolCall.of("b")), null),
                new ChatMessage("tool", "ra", null, "id-a"),
                new ChatMessage("tool", "rb", null, "id-b"));

        List<List<String>> ids = ToolCallIds.assign(messages);

        assertThat(ids.get(0)).isEmpty();
        assertThat(ids.get(1)).containsExactly("id-a", "id-b");
        assertThat(ids.get(2)).isEmpty();
        assertThat(ids.get(3)).isEmpty();
    }

    @Test
    void assign_makesUpIdsForUnansweredCalls() {
        List<ChatMessage> messages = List.of(
                ChatMessage.user("q"),
                new ChatMessage("assistant", "", List.of(ToolCall.of("a"), ToolCall.of("b")), null),
                new ChatMessage("tool", "ra", null, "id-a"),
                ChatMessage.user("next"),
                new ChatMessage("assistant", "", List.of(ToolCall.of("c")), null));

        List<List<String>> ids = ToolCallIds.assign(messages);

        assertThat(ids.get(1)).containsExactly("id-a", "call_1_1");
        assertThat(ids.get(4)).containsExactly("call_4_0");
    }

    @Test
    void assign_doesNotReachPastAUserMessage() {
        List<ChatMessage> messages = List.of(
                new ChatMessage("assistant", "", List.of(ToolCall.of("a"), ToolCall.of("b")), null),
                ChatMessage.user("interrupting"),
                new ChatMessage("tool", "rb", null, "id-late"));

        assertThat(ToolCallIds.assign(messages).get(0)).containsExactly("call_0_0", "call_0_1");
    }
}
