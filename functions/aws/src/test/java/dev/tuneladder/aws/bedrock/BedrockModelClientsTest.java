package dev.tuneladder.aws.bedrock;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

class BedrockModelClientsTest {

    private static final String QWEN = "arn:aws:bedrock:us-east-1:123456789012:imported-model/qwen3abc";
    private static final String NOVA = "amazon.nova-lite-v1:0";

    @RegisterExtension
    static WireMockExtension server = BedrockStub.server();

    @Test
    void chat_routesEachModelToItsConfiguredApi() {
        server.stubFor(post(urlEqualTo("/model/amazon.nova-lite-v1%3A0/converse"))
                .willReturn(BedrockStub.ok(BedrockConverseModelClientTest.textResponse("from converse"))));
        server.stubFor(post(urlEqualTo(
                "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aimported-model%2Fqwen3abc/invoke"))
                .willReturn(BedrockStub.ok(BedrockInvokeChatModelClientTest.textResponse("from invoke"))));

        try (BedrockRuntimeClient sdkClient = BedrockStub.client(server)) {
            BedrockModelClients clients = new BedrockModelClients(sdkClient,
                    Map.of(QWEN, BedrockApi.INVOKE_OPENAI_CHAT), BedrockApi.CONVERSE);

            assertThat(clients.apiFor(QWEN)).isEqualTo(BedrockApi.INVOKE_OPENAI_CHAT);
            assertThat(clients.apiFor(NOVA)).isEqualTo(BedrockApi.CONVERSE);
            assertThat(clients.chat(request(QWEN)).text()).isEqualTo("from invoke");
            assertThat(clients.chat(request(NOVA)).text()).isEqualTo("from converse");
        }
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/model/amazon.nova-lite-v1%3A0/converse"))))
                .hasSize(1);
    }

    private static ChatRequest request(String modelId) {
        return new ChatRequest(modelId, "", List.of(ChatMessage.user("hi")), List.of(), null, false);
    }
}
