package dev.tuneladder.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback OpenAI-compatible chat completions server for command tests: WireMock on 127.0.0.1 with stubs that
 * answer by what a user message contains, and a small labelled banking dataset whose utterances carry
 * those keywords.
 */
final class ModelStub {

    static final String CHAT_PATH = "/v1/chat/completions";

    /** The labels of the small dataset. */
    static final List<String> LABELS = List.of("card_arrival", "exchange_rate", "lost_card", "top_up");

    private ModelStub() {
    }

    static WireMockExtension server() {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
                .build();
    }

    /** Returns the --model value that points at the stub. */
    static String openAiModel(WireMockExtension server) {
        return "openai:http://127.0.0.1:" + server.getPort() + "/v1#test-model";
    }

    /**
     * Returns a JSON path filter that matches a request with a user message that contains {@code regex}, ignoring
     * case; {@code (?s)} lets the match span the lines of a multi-line message.
     */
    static String userMessageMatching(String regex) {
        return "$.messages[?(@.role == 'user' && @.content =~ /(?s).*" + regex + ".*/i)]";
    }

    /**
     * Stubs routing answers by keyword: arrive, lost, exchange and top up route to their intents; "stolen" routes
     * to exchange_rate, a wrong answer; "refund" routes to an intent outside the labels, a malformed answer.
     */
    static void stubRouting(WireMockExtension server) {
        stubRoute(server, 1, "refund", "refund_request");
        stubRoute(server, 2, "stolen", "exchange_rate");
        stubRoute(server, 3, "arriv", "card_arrival");
        stubRoute(server, 3, "lost", "lost_card");
        stubRoute(server, 3, "exchange", "exchange_rate");
        stubRoute(server, 3, "top.?up", "top_up");
    }

    private static void stubRoute(WireMockExtension server, int priority, String keyword, String intent) {
        server.stubFor(post(urlPathEqualTo(CHAT_PATH))
                .atPriority(priority)
                .withRequestBody(matchingJsonPath(userMessageMatching(keyword)))
                .willReturn(ok(routeCall(intent))));
    }

    /** Returns a chat completion whose only output is a call of the route tool with {@code intent}. */
    static String routeCall(String intent) {
        ObjectNode root = Json.mapper().createObjectNode()
                .put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1)
                .put("model", "test-model");
        ObjectNode message = root.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls")
                .putObject("message").put("role", "assistant");
        message.putNull("content");
        ObjectNode function = message.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function")
                .putObject("function").put("name", "route");
        function.put("arguments", "{\"intent\":\"" + intent + "\"}");
        root.putObject("usage").put("prompt_tokens", 120).put("completion_tokens", 9).put("total_tokens", 129);
        return root.toString();
    }

    /** Returns a chat completion with text content only. */
    static String textCompletion(String text) {
        ObjectNode root = Json.mapper().createObjectNode()
                .put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1)
                .put("model", "test-model");
        root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                .putObject("message").put("role", "assistant").put("content", text);
        root.putObject("usage").put("prompt_tokens", 200).put("completion_tokens", 20).put("total_tokens", 220);
        return root.toString();
    }

    static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Writes train.jsonl (7 rows per label) and test.jsonl (3 per label) into {@code folder}; returns it. */
    static Path writeDataset(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<String> train = new ArrayList<>();
        String[][] trainTexts = {
            {"card_arrival", "When will my new card arrive?", "My card has not arrived yet", "How long until the card"
                    + " arrives?", "Is my card arriving this week?", "The card I ordered never arrived",
                "Track the arrival of my card", "Card arrival date please"},
            {"exchange_rate", "What exchange rate do you use?", "Is the exchange rate fixed?", "Exchange rate for"
                    + " euros today", "Why was the exchange rate bad?", "Which exchange rate applies abroad?",
                "How is the exchange rate set?", "Exchange rate for dollars"},
            {"lost_card", "I lost my card", "My card is lost, block it", "Lost card, what now?", "I think I lost my"
                    + " debit card", "Help, lost my card abroad", "Report a lost card", "Lost the card yesterday"},
            {"top_up", "How do I top up my account?", "Top up with a bank transfer", "My top up is pending",
                "Can I top-up by card?", "Top up limit please", "Why did my top up fail?", "Topup options"}
        };
        int id = 0;
        for (String[] group : trainTexts) {
            for (int i = 1; i < group.length; i++) {
                train.add(row("train-" + (++id), group[i], group[0]));
            }
        }
        List<String> test = List.of(
                row("test-1", "Has my card arrived at the post office?", "card_arrival"),
                row("test-2", "When does the card arrive?", "card_arrival"),
                row("test-3", "Card arrival is late", "card_arrival"),
                row("test-4", "What is the exchange rate for pounds?", "exchange_rate"),
                row("test-5", "Exchange rate looks wrong", "exchange_rate"),
                row("test-6", "Tell me the exchange fee", "exchange_rate"),
                row("test-7", "I lost my wallet with the card", "lost_card"),
                row("test-8", "My card was stolen", "lost_card"),
                row("test-9", "Lost card replacement", "lost_card"),
                row("test-10", "Top up by Apple Pay", "top_up"),
                row("test-11", "I want a refund of my top up", "top_up"),
                row("test-12", "Top-up still pending in my balance", "top_up"));
        Files.write(folder.resolve("train.jsonl"), train, StandardCharsets.UTF_8);
        Files.write(folder.resolve("test.jsonl"), test, StandardCharsets.UTF_8);
        return folder;
    }

    static Path writeLabels(Path file) throws IOException {
        Files.writeString(file, Json.mapper().writeValueAsString(LABELS), StandardCharsets.UTF_8);
        return file;
    }

    private static String row(String id, String text, String intent) {
        ObjectNode row = Json.mapper().createObjectNode().put("id", id);
        row.putArray("turns").addObject().put("role", "user").put("content", text);
        row.put("intent", intent);
        return row.toString();
    }
}
