package dev.tuneladder.cdk;

import java.util.Locale;

/**
 * The table of Lambda functions: one entry per handler class of the handlers jar that the API or a state machine
 * calls. Memory and timeout are first estimates for the default batch sizes, not measurements.
 *
 * <p>Not deployed: {@code TrainingLaunchHandler} and {@code ImportStatusHandler}, because the fine-tuning state
 * machine calls SageMaker and Bedrock through service integrations instead, and {@code SamplingHandler}, which the
 * sampling steps replace.
 */
enum HandlerFunction {
    FEWSHOT_SEARCH("FewShotSearchHandler", 1024, 29, Bucket.NONE, true),
    FEWSHOT_UPSERT("FewShotUpsertHandler", 1024, 29, Bucket.NONE, true),
    JUDGE("JudgeHandler", 1024, 29, Bucket.NONE, false),
    RUN_STATUS("RunStatusHandler", 512, 29, Bucket.NONE, false),
    EVALUATE_BATCH("EvaluateBatchHandler", 2048, 900, Bucket.READ_ALL_WRITE_RUNS, false),
    AGGREGATE("AggregateHandler", 3008, 900, Bucket.READ_ALL_WRITE_RUNS, false),
    EMBED_BATCH("EmbedBatchHandler", 1024, 900, Bucket.READ_ALL_WRITE_RUNS, true),
    CLUSTER_STRATA("ClusterStrataHandler", 3008, 900, Bucket.READ_ALL_WRITE_RUNS, false),
    DRAW_AND_SPLIT("DrawAndSplitHandler", 2048, 900, Bucket.READ_ALL_WRITE_RUNS, false),
    WRITE_SPLITS("WriteSplitsHandler", 1024, 900, Bucket.READ_ALL_WRITE_RUNS, false),
    EXPORT_TRAINING_DATA("ExportTrainingDataHandler", 2048, 900, Bucket.READ_RUNS_REPLACE_TRAINING_DATA, false),
    PREFLIGHT("PreflightHandler", 1024, 300, Bucket.READ_RUNS, false),
    GATE("GateHandler", 1024, 120, Bucket.READ_RUNS, false),
    PROMOTE("PromoteHandler", 512, 60, Bucket.READ_ALL_WRITE_RUNS, false),
    RECORD_FAILURE("RecordFailureHandler", 512, 60, Bucket.READ_ALL_WRITE_RUNS, false);

    /** Package of every handler class in the handlers jar. */
    static final String HANDLER_PACKAGE = "dev.tuneladder.handlers";

    /**
     * A function's access to the data bucket: the object key patterns it may read and write (null for none), and
     * whether it may also delete objects it may write.
     */
    enum Bucket {
        NONE(null, null, false),
        /**
         * Read run outputs only: the preflight reads a run's training data and training output, and the gate reads
         * outcome files of two runs.
         */
        READ_RUNS(DataStorage.RUNS_PREFIX + "*", null, false),
        /** Read every object, write only under {@code runs/}. */
        READ_ALL_WRITE_RUNS("*", DataStorage.RUNS_PREFIX + "*", false),
        /**
         * Read run outputs (the split), write and delete only in a run's training-data folder: the export replaces
         * that folder's contents and deletes files that an earlier attempt left there.
         */
        READ_RUNS_REPLACE_TRAINING_DATA(DataStorage.RUNS_PREFIX + "*",
                DataStorage.RUNS_PREFIX + "*/" + TrainingRoles.TRAINING_DATA + "*", true);

        final String readPattern;
        final String writePattern;
        final boolean deletes;

        Bucket(String readPattern, String writePattern, boolean deletes) {
            this.readPattern = readPattern;
            this.writePattern = writePattern;
            this.deletes = deletes;
        }
    }

    final String handlerClass;
    final int memoryMegabytes;
    final int timeoutSeconds;
    final Bucket bucket;
    final boolean embeds;

    HandlerFunction(String handlerClass, int memoryMegabytes, int timeoutSeconds, Bucket bucket, boolean embeds) {
        this.handlerClass = handlerClass;
        this.memoryMegabytes = memoryMegabytes;
        this.timeoutSeconds = timeoutSeconds;
        this.bucket = bucket;
        this.embeds = embeds;
    }

    /** Returns the Lambda handler string, {@code package.Class::handleRequest}. */
    String handler() {
        return HANDLER_PACKAGE + "." + handlerClass + "::handleRequest";
    }

    /** Returns the construct id, such as {@code FewShotSearch}. */
    String constructId() {
        return handlerClass.substring(0, handlerClass.length() - "Handler".length());
    }

    /** Returns the name the state machine definitions use in their placeholders, such as {@code GateFunctionArn}. */
    String arnPlaceholder() {
        return constructId() + "FunctionArn";
    }

    /** Returns a lowercase, hyphenated name such as {@code fewshot-search}, used in log group names. */
    String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
