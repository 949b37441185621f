package dev.tuneladder.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options that select a model and how it is called: provider, retries, concurrency and timeouts. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "SPEC",
            description = "Model to call: bedrock:MODEL_ID (Bedrock Runtime; credentials from the standard AWS "
                    + "chain) or openai:BASE_URL#MODEL (an OpenAI-compatible /v1/chat/completions server such as "
                    + "llama.cpp, vLLM or Ollama).")
    String model;

    @Option(names = "--bedrock-api", paramLabel = "API", defaultValue = "converse",
            description = "Bedrock API for the model: converse, or invoke-openai-chat (InvokeModel with the OpenAI "
                    + "chat body) for imported models that Converse does not serve. Default: ${DEFAULT-VALUE}.")
    String bedrockApi;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "Environment variable that contains the OpenAI-compatible server's API key, sent as a "
                    + "bearer token. Default: no Authorization header.")
    String apiKeyVariable;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Rows sent to the model at once (worker threads), and the most calls in flight the "
                    + "adaptive limiter allows; the limiter lowers it while the provider throttles. "
                    + "Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "8",
            description = "Attempts per model call, the first included, on throttling, server errors, timeouts "
                    + "and models that are not ready; 1 disables retries. Default: ${DEFAULT-VALUE}.")
    int maxAttempts;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Longest wait for one model call in seconds; a call that times out is retried. "
                    + "Default: ${DEFAULT-VALUE}.")
    int requestTimeoutSeconds;

    /** Returns whether {@code --model} was given. */
    boolean configured() {
        return model != null;
    }

    /** Returns the parsed {@code --model}; call only when {@link #configured()}. */
    ModelSpec spec() {
        return ModelSpec.parse(model);
    }

    /** Returns whether {@code --model} names a Bedrock model. */
    boolean usesBedrock() {
        return configured() && spec().provider() == ModelSpec.Provider.BEDROCK;
    }

    /**
     * Returns the options for config.json, with the Region and endpoint of {@code bedrock} for a Bedrock model. The
     * API key's variable name is recorded, never its value.
     */
    Map<String, Object> describe(BedrockOptions bedrock) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("model", model);
        if (model != null && model.toLowerCase(java.util.Locale.ROOT).startsWith("bedrock:")) {
            options.put("bedrockApi", bedrockApi);
            bedrock.describeInto(options);
        } else {
            options.put("apiKeyEnv", apiKeyVariable);
        }
        options.put("concurrency", concurrency);
        options.put("maxAttempts", maxAttempts);
        options.put("requestTimeoutSeconds", requestTimeoutSeconds);
        return options;
    }
}
