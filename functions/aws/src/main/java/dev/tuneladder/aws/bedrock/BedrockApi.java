package dev.tuneladder.aws.bedrock;

import java.util.Locale;

/** The Bedrock Runtime API and body format used to call a model. */
public enum BedrockApi {

    /** The Converse API: foundation models and imported models of architectures that Converse serves. */
    CONVERSE,

    /**
     * InvokeModel with the OpenAI chat completion body: imported models that Converse does not serve (Qwen2.5,
     * Qwen3 and GPT-OSS architectures per the Custom Model Import guide).
     */
    INVOKE_OPENAI_CHAT;

    /**
     * Parses a configuration value, case-insensitively and with {@code -} accepted for {@code _}
     * ({@code converse}, {@code invoke-openai-chat}).
     */
    public static BedrockApi parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("Bedrock API is missing: give converse or invoke-openai-chat");
        }
        String normalized = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (BedrockApi api : values()) {
            if (api.name().equals(normalized)) {
                return api;
            }
        }
        throw new IllegalArgumentException("Bedrock API '" + value + "' is not known: give converse or"
                + " invoke-openai-chat");
    }
}
