package dev.tuneladder.handlers;

import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.bedrock.TitanEmbeddingSettings;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that reads the handlers' environment variables. Each accessor reads its variable when a handler's
 * constructor asks for it, so a function fails at initialisation, naming the variable it lacks, and never needs
 * variables that belong to other functions.
 */
public final class HandlerConfig {

    /** Region of every AWS client; Lambda sets it. */
    public static final String REGION = "AWS_REGION";
    /** Optional base URL that every AWS client sends to instead of the Region's endpoint (a local emulator). */
    public static final String AWS_ENDPOINT_URL = "TUNELADDER_AWS_ENDPOINT_URL";
    /** Bucket that holds datasets and runs. */
    public static final String BUCKET = "TUNELADDER_BUCKET";
    /** HTTPS endpoint of the OpenSearch Serverless collection or managed domain. */
    public static final String OPENSEARCH_ENDPOINT = "TUNELADDER_OPENSEARCH_ENDPOINT";
    /** {@code aoss} for a Serverless collection (default), {@code es} for a managed domain. */
    public static final String OPENSEARCH_SERVICE = "TUNELADDER_OPENSEARCH_SERVICE";
    /** Comma-separated names of the few-shot indexes the API serves; other names answer 404. */
    public static final String FEWSHOT_INDEXES = "TUNELADDER_FEWSHOT_INDEXES";
    /** Bedrock embedding model id; default Titan Text Embeddings V2. */
    public static final String EMBEDDING_MODEL_ID = "TUNELADDER_EMBEDDING_MODEL_ID";
    /** Embedding length: 256, 512 or 1024 for Titan V2; default 1024. */
    public static final String EMBEDDING_DIMENSIONS = "TUNELADDER_EMBEDDING_DIMENSIONS";
    /** Bedrock model id (or inference profile) of the judge, called through Converse. */
    public static final String JUDGE_MODEL_ID = "TUNELADDER_JUDGE_MODEL_ID";
    /** ARN of the {@code evaluation} state machine, whose runs GET /v1/evaluations/{runId} reports. */
    public static final String EVALUATION_STATE_MACHINE_ARN = "TUNELADDER_EVALUATION_STATE_MACHINE_ARN";
    /** ARN of the {@code fine-tuning} state machine, whose runs GET /v1/fine-tuning-jobs/{runId} reports. */
    public static final String FINE_TUNING_STATE_MACHINE_ARN = "TUNELADDER_FINE_TUNING_STATE_MACHINE_ARN";
    /** ARN of the {@code sampling} state machine, whose runs GET /v1/datasets/{dataset}/splits/{runId} reports. */
    public static final String SAMPLING_STATE_MACHINE_ARN = "TUNELADDER_SAMPLING_STATE_MACHINE_ARN";

    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[^:\\s]+");

    private final Map<String, String> environment;

    public HandlerConfig(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** Reads the process environment. */
    public static HandlerConfig fromEnvironment() {
        return new HandlerConfig(System.getenv());
    }

    /** Returns the variable's value, or throws naming it when it is missing or blank. */
    public String require(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set; set it in the"
                    + " function's configuration");
        }
        return value.strip();
    }

    /** Returns the variable's value, or {@code fallback} when it is missing or blank. */
    public String optional(String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** Returns an AWS client factory for {@value #REGION}, sending to {@value #AWS_ENDPOINT_URL} when it is set. */
    public AwsClientFactory aws() {
        AwsClientFactory factory = AwsClientFactory.forRegion(require(REGION));
        String endpoint = optional(AWS_ENDPOINT_URL, null);
        return endpoint == null ? factory : factory.withEndpointOverride(uri(AWS_ENDPOINT_URL, endpoint));
    }

    public String bucket() {
        return require(BUCKET);
    }

    public URI openSearchEndpoint() {
        return uri(OPENSEARCH_ENDPOINT, require(OPENSEARCH_ENDPOINT));
    }

    /** Returns true for a Serverless collection ({@code aoss}), false for a managed domain ({@code es}). */
    public boolean openSearchServerless() {
        String service = optional(OPENSEARCH_SERVICE, "aoss");
        return switch (service) {
            case "aoss" -> true;
            case "es" -> false;
            default -> throw new IllegalStateException("environment variable " + OPENSEARCH_SERVICE + " is '"
                    + service + "'; set it to aoss (Serverless collection) or es (managed domain)");
        };
    }

    public Set<String> fewShotIndexes() {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(require(FEWSHOT_INDEXES).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .forEach(names::add);
        if (names.isEmpty()) {
            throw new IllegalStateException("environment variable " + FEWSHOT_INDEXES + " lists no index; set it"
                    + " to comma-separated index names such as banking77-golden");
        }
        return Set.copyOf(names);
    }

    public TitanEmbeddingSettings embedding() {
        TitanEmbeddingSettings settings = TitanEmbeddingSettings.DEFAULTS;
        String modelId = optional(EMBEDDING_MODEL_ID, settings.modelId());
        String dimensions = optional(EMBEDDING_DIMENSIONS, Integer.toString(settings.dimensions()));
        try {
            return new TitanEmbeddingSettings(modelId, Integer.parseInt(dimensions), settings.normalize(),
                    settings.parallelism());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + EMBEDDING_DIMENSIONS + " is '" + dimensions
                    + "'; set it to 256, 512 or 1024", e);
        }
    }

    public String judgeModelId() {
        return require(JUDGE_MODEL_ID);
    }

    /**
     * Returns the state machine ARN in the named variable, such as {@value #EVALUATION_STATE_MACHINE_ARN}, checked
     * to have the form {@code arn:aws:states:REGION:ACCOUNT:stateMachine:NAME}.
     */
    public String stateMachineArn(String variable) {
        String arn = require(variable);
        if (!STATE_MACHINE_ARN.matcher(arn).matches()) {
            throw new IllegalStateException("environment variable " + variable + " is '" + arn + "', not a state"
                    + " machine ARN; set it to one such as arn:aws:states:us-east-1:123456789012:stateMachine:"
                    + "tuneladder-evaluation");
        }
        return arn;
    }


    private static URI uri(String name, String value) {
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + name + " is not a URL: '" + value
                    + "'; set it to an https:// URL", e);
        }
    }

    /** Texts per Titan call of the embed-batch task; default {@value #DEFAULT_SAMPLING_EMBEDDING_BATCH}. */
    public static final String SAMPLING_EMBEDDING_BATCH = "TUNELADDER_SAMPLING_EMBEDDING_BATCH";
    /** Default of {@value #SAMPLING_EMBEDDING_BATCH}. */
    public static final int DEFAULT_SAMPLING_EMBEDDING_BATCH = 64;

    /** Returns {@value #SAMPLING_EMBEDDING_BATCH}, from 1 to 10,000. */
    public int samplingEmbeddingBatch() {
        String value = optional(SAMPLING_EMBEDDING_BATCH, Integer.toString(DEFAULT_SAMPLING_EMBEDDING_BATCH));
        try {
            int batch = Integer.parseInt(value);
            if (batch >= 1 && batch <= 10_000) {
                return batch;
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted range.
        }
        throw new IllegalStateException("environment variable " + SAMPLING_EMBEDDING_BATCH + " is '" + value
                + "'; set it to a whole number from 1 to 10000 (default " + DEFAULT_SAMPLING_EMBEDDING_BATCH + ")");
    }
}
