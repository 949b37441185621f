package dev.tuneladder.cli;

import java.util.Locale;
import java.util.Objects;

/**
 * The model a command calls, parsed from {@code --model}: {@code bedrock:MODEL_ID} or
 * {@code openai:BASE_URL#MODEL}.
 *
 * @param provider which adapter serves the model
 * @param modelId the Bedrock model id, inference profile id or ARN, or the OpenAI-compatible model name
 * @param baseUrl the OpenAI-compatible server's base URL; null for Bedrock
 */
record ModelSpec(Provider provider, String modelId, String baseUrl) {

    /** The model providers the command line can call. */
    enum Provider {
        BEDROCK,
        OPENAI
    }

    static final String FORMS = "bedrock:MODEL_ID (for example bedrock:anthropic.claude-3-5-haiku-20241022-v1:0)"
            + " or openai:BASE_URL#MODEL (for example openai:http://127.0.0.1:8080/v1#qwen2.5-7b-instruct)";

    ModelSpec {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(modelId, "modelId");
        if ((provider == Provider.OPENAI) != (baseUrl != null)) {
            throw new IllegalArgumentException("an OpenAI-compatible model needs a base URL and a Bedrock model none");
        }
    }

    /**
     * Parses a {@code --model} value. A Bedrock model id may contain colons ({@code ...-v1:0}, ARNs), so only the
     * first colon separates the provider; an OpenAI-compatible value splits at its last {@code #}.
     *
     * @throws IllegalArgumentException naming both accepted forms when the value is neither
     */
    static ModelSpec parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--model is blank; use " + FORMS);
        }
        int colon = value.indexOf(':');
        String prefix = colon < 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : value.substring(colon + 1).strip();
        switch (prefix) {
            case "bedrock" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("--model " + value + " has no model id after 'bedrock:'; use "
                            + FORMS);
                }
                return new ModelSpec(Provider.BEDROCK, rest, null);
            }
            case "openai" -> {
                int hash = rest.lastIndexOf('#');
                String url = hash < 0 ? "" : rest.substring(0, hash).strip();
                String model = hash < 0 ? "" : rest.substring(hash + 1).strip();
                if (url.isEmpty() || model.isEmpty()) {
                    throw new IllegalArgumentException("--model " + value + " needs both a base URL and a model name"
                            + " after 'openai:', separated by '#'; use " + FORMS);
                }
                return new ModelSpec(Provider.OPENAI, model, url);
            }
            default -> throw new IllegalArgumentException("--model " + value + " names no known provider; use "
                    + FORMS);
        }
    }

    /** Returns the value as given to {@code --model}, for config.json. */
    String spec() {
        return provider == Provider.BEDROCK ? "bedrock:" + modelId : "openai:" + baseUrl + "#" + modelId;
    }
}
