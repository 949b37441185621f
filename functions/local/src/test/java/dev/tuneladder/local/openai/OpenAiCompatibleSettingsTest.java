package dev.tuneladder.local.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:8080, http://127.0.0.1:8080/v1/chat/completions",
        "http://127.0.0.1:8080/, http://127.0.0.1:8080/v1/chat/completions",
        "http://127.0.0.1:8080/v1, http://127.0.0.1:8080/v1/chat/completions",
        "http://127.0.0.1:11434/v1/, http://127.0.0.1:11434/v1/chat/completions",
        "https://gateway.example/openai, https://gateway.example/openai/v1/chat/completions",
        "https://gateway.example/openai/v1, https://gateway.example/openai/v1/chat/completions",
    })
    void chatCompletionsUri_acceptsBaseWithOrWithoutV1(String baseUrl, String expected) {
        assertThat(OpenAiCompatibleSettings.of(baseUrl).chatCompletionsUri()).isEqualTo(URI.create(expected));
    }

    @Test
    void constructor_rejectsUnusableBaseUrls() {
        assertThatThrownBy(() -> OpenAiCompatibleSettings.of("127.0.0.1:8080"))
                .hasMessageContaining("is not an absolute http or https URL");
        assertThatThrownBy(() -> OpenAiCompatibleSettings.of("ftp://127.0.0.1/v1"))
                .hasMessageContaining("is not an absolute http or https URL");
        assertThatThrownBy(() -> OpenAiCompatibleSettings.of("http://127.0.0.1:8080/v1?key=1"))
                .hasMessageContaining("has a query or fragment");
        assertThatThrownBy(() -> OpenAiCompatibleSettings.of("http://user:secret@127.0.0.1:8080"))
                .hasMessageContaining("contains user credentials")
                .hasMessageNotContaining("secret");
    }

    @Test
    void constructor_rejectsInvalidTimeoutsAndBlankVariable() {
        OpenAiCompatibleSettings settings = OpenAiCompatibleSettings.of("http://127.0.0.1:8080");

        assertThatThrownBy(() -> settings.withRequestTimeout(Duration.ZERO))
                .hasMessageContaining("requestTimeout must be positive");
        assertThatThrownBy(() -> settings.withApiKeyVariable(" "))
                .hasMessageContaining("apiKeyVariable is blank");
    }
}
