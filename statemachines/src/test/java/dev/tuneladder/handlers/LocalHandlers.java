package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tuneladder.core.embedding.Embedder;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.Sleeper;
import dev.tuneladder.core.storage.BlobStore;
import java.time.Clock;
import java.util.Random;
import java.util.function.Function;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The real task handlers built over given collaborators, for the state-machine tests, which run them behind a
 * loopback Invoke endpoint. It lives in the handlers' package because their collaborator constructors are
 * package-private: production code builds them from the environment only.
 */
public final class LocalHandlers {

    private LocalHandlers() {
    }

    /** Returns evaluate-batch over the run bucket {@code store}. */
    public static RequestStreamHandler evaluateBatch(BlobStore store) {
        return new EvaluateBatchHandler(store);
    }

    /**
     * Returns evaluate-batch over the run bucket {@code store} whose model mode calls Bedrock through
     * {@code runtime}, with the production retry policy and call timeout.
     */
    public static RequestStreamHandler evaluateBatch(BlobStore store, BedrockRuntimeClient runtime) {
        return new EvaluateBatchHandler(store, new ModelBatchRouter(runtime, ModelBatchRouter.CALL_TIMEOUT,
                Resilience.TASK_POLICY, MonotonicClock.SYSTEM, Sleeper.SYSTEM, new Random(17)));
    }

    /** Returns aggregate over the run bucket {@code store}. */
    public static RequestStreamHandler aggregate(BlobStore store) {
        return new AggregateHandler(store);
    }

    /** Returns record-failure over the run bucket {@code store}, stamping records with {@code clock}. */
    public static RequestStreamHandler recordFailure(BlobStore store, Clock clock) {
        return new RecordFailureHandler(store, clock);
    }

    /** Returns embed-batch over the run bucket {@code store}, embedding {@code callSize} texts per call. */
    public static RequestStreamHandler embedBatch(BlobStore store, Embedder embedder, int callSize) {
        return new EmbedBatchHandler(store, embedder, callSize);
    }

    /** Returns cluster-strata over the run bucket {@code store}. */
    public static RequestStreamHandler clusterStrata(BlobStore store) {
        return new ClusterStrataHandler(store);
    }

    /** Returns draw-and-split over the run bucket {@code store}. */
    public static RequestStreamHandler drawAndSplit(BlobStore store) {
        return new DrawAndSplitHandler(store);
    }

    /** Returns write-splits over the run bucket {@code store}. */
    public static RequestStreamHandler writeSplits(BlobStore store) {
        return new WriteSplitsHandler(store);
    }

    /** Returns export-training-data over the run bucket {@code store}. */
    public static RequestStreamHandler exportTrainingData(BlobStore store) {
        return new ExportTrainingDataHandler(store);
    }

    /** Returns preflight, which opens the bucket of each artifacts URI with {@code storeForBucket}. */
    public static RequestStreamHandler preflight(Function<String, BlobStore> storeForBucket) {
        return new PreflightHandler(storeForBucket);
    }

    /** Returns gate over the run bucket {@code store}, which contains both runs' outcome files. */
    public static RequestStreamHandler gate(BlobStore store) {
        return new GateHandler(store);
    }

    /** Returns promote over the run bucket {@code store}, stamping records with {@code clock}. */
    public static RequestStreamHandler promote(BlobStore store, Clock clock) {
        return new PromoteHandler(store, clock);
    }
}
