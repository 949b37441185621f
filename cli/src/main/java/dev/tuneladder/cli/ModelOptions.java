package dev.tuneladder.cli;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options that select a model and how it is called: provider, retries, concurrency and timeouts. */
final class ModelOptions {

    /** Environment variables read for the Bedrock Region when {@code --region} is absent, in order. */
    static final String[] REGION_VARIABLES = {"AWS_REGION", "AWS_DEFAULT_REGION"};

    @Option(names = "--model", paramLabel = "SPEC",
            description = "Model to call: bedrock:MODEL_ID (Bedrock Runtime; credentials from the standard AWS "
                    + "chain) or openai:BASE_URL#MODEL (an OpenAI-compatible /v1/chat/completions server such as "
                    + "llama.cpp, vLLM or Ollama).")
    String model;

    @Option(names = "--bedrock-api", paramLabel = "API", defaultValue = "converse",
            description = "Bedrock API for the model: converse, or invoke-openai-chat (InvokeModel with the OpenAI "
                    + "chat body) for imported models that Converse does not serve. Default: ${DEFAULT-VALUE}.")
    String bedrockApi;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS Region of Bedrock, such as us-east-1. Default: the AWS_REGION or AWS_DEFAULT_REGION "
                    + "environment variable.")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Bedrock Runtime endpoint to send to instead of the Region's public one, such as a VPC "
                    + "interface endpoint's URL.")
    URI endpointUrl;

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

    /** Returns {@code --region}, else the first Region environment variable that is set, else null. */
    String regionOrEnvironment() {
        if (region != null && !region.isBlank()) {
            return region.strip();
        }
        for (String variable : REGION_VARIABLES) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    /** Returns the options for config.json; the API key's variable name is recorded, never its value. */
    Map<String, Object> describe() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("model", model);
        if (model != null && model.toLowerCase(java.util.Locale.ROOT).startsWith("bedrock:")) {
            options.put("bedrockApi", bedrockApi);
            options.put("region", regionOrEnvironment());
            options.put("endpointUrl", endpointUrl == null ? null : endpointUrl.toString());
        } else {
            options.put("apiKeyEnv", apiKeyVariable);
        }
        options.put("concurrency", concurrency);
        options.put("maxAttempts", maxAttempts);
        options.put("requestTimeoutSeconds", requestTimeoutSeconds);
        return options;
    }
}
