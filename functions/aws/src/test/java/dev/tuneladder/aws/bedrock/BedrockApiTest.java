package dev.tuneladder.aws.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BedrockApiTest {

    @Test
    void parse_acceptsConfigurationSpellings() {
        assertThat(BedrockApi.parse("converse")).isEqualTo(BedrockApi.CONVERSE);
        assertThat(BedrockApi.parse(" invoke-openai-chat ")).isEqualTo(BedrockApi.INVOKE_OPENAI_CHAT);
        // Upper-casing uses Locale.ROOT, so the Turkish dotless i under the test locale does not break "invoke".
        assertThat(BedrockApi.parse("INVOKE_OPENAI_CHAT")).isEqualTo(BedrockApi.INVOKE_OPENAI_CHAT);
    }

    @Test
    void parse_rejectsUnknownValue() {
        assertThatThrownBy(() -> BedrockApi.parse("invoke"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'invoke'")
                .hasMessageContaining("converse or invoke-openai-chat");
    }
}
