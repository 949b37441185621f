package dev.tuneladder.cdk;

import java.util.List;

/**
 * Names of the environment variables that the handlers read (the constants of {@code HandlerConfig} in the handlers
 * jar; a test checks that the jar contains each name).
 */
final class HandlerEnvironment {

    static final String BUCKET = "TUNELADDER_BUCKET";
    static final String OPENSEARCH_ENDPOINT = "TUNELADDER_OPENSEARCH_ENDPOINT";
    static final String OPENSEARCH_SERVICE = "TUNELADDER_OPENSEARCH_SERVICE";
    static final String FEWSHOT_INDEXES = "TUNELADDER_FEWSHOT_INDEXES";
    static final String EMBEDDING_MODEL_ID = "TUNELADDER_EMBEDDING_MODEL_ID";
    static final String EMBEDDING_DIMENSIONS = "TUNELADDER_EMBEDDING_DIMENSIONS";
    static final String JUDGE_MODEL_ID = "TUNELADDER_JUDGE_MODEL_ID";
    static final String EVALUATION_STATE_MACHINE_ARN = "TUNELADDER_EVALUATION_STATE_MACHINE_ARN";
    static final String FINE_TUNING_STATE_MACHINE_ARN = "TUNELADDER_FINE_TUNING_STATE_MACHINE_ARN";
    static final String SAMPLING_STATE_MACHINE_ARN = "TUNELADDER_SAMPLING_STATE_MACHINE_ARN";

    static final List<String> ALL = List.of(BUCKET, OPENSEARCH_ENDPOINT, OPENSEARCH_SERVICE, FEWSHOT_INDEXES,
            EMBEDDING_MODEL_ID, EMBEDDING_DIMENSIONS, JUDGE_MODEL_ID, EVALUATION_STATE_MACHINE_ARN,
            FINE_TUNING_STATE_MACHINE_ARN, SAMPLING_STATE_MACHINE_ARN);

    private HandlerEnvironment() {
    }
}
