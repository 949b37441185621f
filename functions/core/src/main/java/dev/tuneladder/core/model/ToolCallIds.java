package dev.tuneladder.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Assigns ids to the tool calls of assistant messages in a conversation.
 *
 * <p>{@link ChatMessage} carries the id of a call only on the {@code tool} message that carries its result, while Bedrock and OpenAI-style
 * APIs need the same id on the assistant's call too. The rule: call {@code j} of an assistant message
 * takes the {@code toolCallId} of the {@code j}-th tool message directly after it, so tool results must follow
 * their assistant message in the order of its calls. A call with no such tool message gets a made-up id
 * {@code call_<message index>_<call index>}.
 */
public final class ToolCallIds {

    private ToolCallIds() {
    }

    /** Returns, per message, the ids of its tool calls in order; an empty list for messages without calls. */
    public static List<List<String>> assign(List<ChatMessage> messages) {
        List<List<String>> idsPerMessage = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            int calls = message.toolCalls().size();
            List<String> ids = new ArrayList<>(calls);
            for (int j = 0; j < calls; j++) {
                int answer = i + 1 + j;
                boolean answered = answer < messages.size() && isToolResultRun(messages, i + 1, answer);
                ids.add(answered ? messages.get(answer).toolCallId() : "call_" + i + "_" + j);
            }
            idsPerMessage.add(List.copyOf(ids));
        }
        return idsPerMessage;
    }

    private static boolean isToolResultRun(List<ChatMessage> messages, int from, int to) {
        for (int k = from; k <= to; k++) {
            if (!messages.get(k).role().equals("tool")) {
                return false;
            }
        }
        return true;
    }
}
