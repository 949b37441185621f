package dev.tuneladder.handlers;

import dev.tuneladder.aws.bedrock.BedrockApi;
import dev.tuneladder.aws.bedrock.BedrockModelClients;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.MonotonicClock;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.ResilientModelClient;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.core.model.resilience.Sleeper;
import dev.tuneladder.core.planner.FewShotRetriever;
import dev.tuneladder.core.planner.LlmPlanner;
import dev.tuneladder.core.planner.PlannerConfig;
import dev.tuneladder.core.planner.PlannerRun;
import dev.tuneladder.core.planner.RoutingTool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Runs the rows of one evaluate-batch through the model under evaluation: the core's {@link LlmPlanner}, run by
 * {@link PlannerRun} on Bedrock, either as a router with the route tool or, for the rows the caller selects, as a
 * function caller offered the row's own function documents (converted by {@code BfclToolSchemas}). Both kinds share
 * the settings' system prompt, as the fine-tuning export's examples do.
 *
 * <p>Imported models ({@code arn:aws:bedrock:REGION:ACCOUNT:imported-model/ID}) are called through InvokeModel
 * with the OpenAI chat body, every other model id through Converse. Each call goes through {@link Resilience#TASK_POLICY}
 * (full jitter from the restore-safe random) and a limiter of {@value #MAX_CONCURRENCY} calls at a time.
 *
 * <p>Failures, as the command line's planner treats them: a row whose call fails for a reason of its own (a
 * malformed answer, a client or server error after the retries) becomes an error prediction that is scored as
 * wrong. A failure that says nothing about the model's answers fails the batch with {@link ModelBatchIncomplete},
 * so Step Functions retries it: throttling or a restoring imported model that outlasts the retries, or a batch
 * that runs out of time. After such a failure the remaining rows are not sent. Access denied (HTTP 403) and model
 * not found (HTTP 404) fail the batch with an {@link IllegalStateException}, because every row would fail the
 * same way and the gate would reject the model for a configuration error.
 *
 * <p>Time: no model call starts once less than the call timeout plus {@link #WRITE_RESERVE} is left of the
 * function's remaining time, so the batch's objects are written before the function times out. A backoff wait
 * may pass that point by up to the policy's maximum delay, after which the next attempt is refused.
 */
final class ModelBatchRouter {

    /** Concurrent model calls per batch; the adaptive limiter lowers it while the model throttles. */
    static final int MAX_CONCURRENCY = 4;

    /**
     * The Bedrock client's timeout for one call. A routing reply is one short tool call and a function-calling plan
     * a few, so a minute is ample (an estimate). It bounds how long a call started just before the deadline may run.
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    /** Time kept after the last model call for writing the predictions, partial and rejects objects. */
    static final Duration WRITE_RESERVE = Duration.ofSeconds(15);

    private static final Pattern IMPORTED_MODEL_ARN =
            Pattern.compile("arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\\d{12}:imported-model/[A-Za-z0-9]+");

    private final BedrockRuntimeClient runtime;
    private final Duration callTimeout;
    private final RetryPolicy policy;
    private final MonotonicClock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /**
     * @param runtime the Bedrock Runtime client; its calls must time out after {@code callTimeout}
     * @param policy the retries of one call; its deadline is shortened to the batch's time budget
     * @param random the jitter source, shared by the worker threads
     */
    ModelBatchRouter(BedrockRuntimeClient runtime, Duration callTimeout, RetryPolicy policy, MonotonicClock clock,
            Sleeper sleeper, RandomGenerator random) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Builds the Bedrock Runtime client from the environment with a {@link #CALL_TIMEOUT} call timeout. The SDK
     * client opens no connection before its first call, so a SnapStart snapshot taken after construction contains
     * none.
     */
    static ModelBatchRouter fromConfig(HandlerConfig config) {
        return new ModelBatchRouter(config.aws().withCallTimeout(CALL_TIMEOUT).bedrockRuntime(), CALL_TIMEOUT,
                Resilience.TASK_POLICY, MonotonicClock.SYSTEM, Sleeper.SYSTEM, Resilience.RestoreSafeRandom.INSTANCE);
    }

    /** Returns the Bedrock API that requests for {@code modelId} go through. */
    static BedrockApi apiFor(String modelId) {
        return IMPORTED_MODEL_ARN.matcher(modelId).matches() ? BedrockApi.INVOKE_OPENAI_CHAT : BedrockApi.CONVERSE;
    }

    /**
     * Plans every row with the model and returns one prediction per row, in input order: a function-calling plan
     * for the rows that {@code functionCalling} selects, a route call for the others. The routing rows run first,
     * then the function-calling rows, under one retry budget, limiter and deadline.
     *
     * @param functionCalling selects the rows offered their own function documents instead of the route tool
     * @param remaining the time left before the function times out
     * @throws ModelBatchIncomplete when throttling or a model restore outlasted the retries, or time ran out
     * @throws IllegalStateException when Bedrock denied access to the model or does not know it, or when
     *     {@code remaining} leaves no time for a model call
     */
    PlannerRun.Result run(List<Interaction> rows, Predicate<Interaction> functionCalling, ModelSettings settings,
            Duration remaining) {
        Duration budget = remaining.minus(callTimeout).minus(WRITE_RESERVE);
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalStateException("the function has " + remaining.toMillis() + " ms left, which does not"
                    + " cover one model call (" + callTimeout.toMillis() + " ms) and writing the results ("
                    + WRITE_RESERVE.toMillis() + " ms); raise the function's timeout");
        }
        Duration retryDeadline = budget.compareTo(policy.deadline()) < 0 ? budget : policy.deadline();
        ResilientCaller caller = new ResilientCaller(
                new RetryPolicy(policy.maxAttempts(), policy.baseDelay(), policy.maxDelay(), retryDeadline),
                AdaptiveConcurrencyLimiter.withMaxLimit(MAX_CONCURRENCY), clock, sleeper, random);
        String modelId = settings.modelId();
        ModelClient bedrock = new BedrockModelClients(runtime, Map.of(modelId, apiFor(modelId)), BedrockApi.CONVERSE);
        BatchGuard guard = new BatchGuard(clock.nanoTime() + budget.toNanos(), budget);
        ModelClient client = guard.stopping(new ResilientModelClient(guard.timed(bedrock), caller));

        PlannerConfig config = PlannerConfig.of(modelId, settings.prompt());
        boolean[] plansCalls = new boolean[rows.size()];
        List<Interaction> routingRows = new ArrayList<>();
        List<Interaction> functionRows = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            plansCalls[i] = functionCalling.test(rows.get(i));
            (plansCalls[i] ? functionRows : routingRows).add(rows.get(i));
        }
        PlannerRun.Result routed = runRows(routingRows, () -> LlmPlanner.forRouting(client, config,
                RoutingTool.of(settings.labels()), FewShotRetriever.none()));
        PlannerRun.Result planned = runRows(functionRows,
                () -> LlmPlanner.forFunctionCalling(client, config, FewShotRetriever.none()));
        guard.throwIfStopped(modelId, rows.size());
        return merge(plansCalls, routed, planned);
    }

    private static PlannerRun.Result runRows(List<Interaction> rows, Supplier<LlmPlanner> planner) {
        if (rows.isEmpty()) {
            return new PlannerRun.Result(List.of(), 0, new TokenUsage(0, 0, 0, 0));
        }
        return new PlannerRun(planner.get(), MAX_CONCURRENCY).run(rows, (finished, total) -> { });
    }

    /**
     * Puts the predictions of the two runs back into input order and sums their totals.
     *
     * @param plansCalls per input row, whether its prediction is in {@code planned} rather than {@code routed}
     */
    private static PlannerRun.Result merge(boolean[] plansCalls, PlannerRun.Result routed, PlannerRun.Result planned) {
        List<Prediction> predictions = new ArrayList<>(plansCalls.length);
        int nextRouted = 0;
        int nextPlanned = 0;
        for (boolean plan : plansCalls) {
            predictions.add(plan ? planned.predictions().get(nextPlanned++) : routed.predictions().get(nextRouted++));
        }
        TokenUsage routedUsage = routed.totalUsage();
        TokenUsage plannedUsage = planned.totalUsage();
        TokenUsage usage = new TokenUsage(routedUsage.inputTokens() + plannedUsage.inputTokens(),
                routedUsage.outputTokens() + plannedUsage.outputTokens(),
                routedUsage.cacheReadTokens() + plannedUsage.cacheReadTokens(),
                routedUsage.cacheWriteTokens() + plannedUsage.cacheWriteTokens());
        return new PlannerRun.Result(predictions, routed.errorRows() + planned.errorRows(), usage);
    }

    /**
     * The batch's deadline and its stop signal. {@link #timed} wraps the Bedrock client inside the retries, so an
     * attempt past the deadline ends the retries at once; {@link #stopping} wraps the retried client and records
     * the first failure that must fail the batch, after which it sends no more calls.
     */
    private final class BatchGuard {

        private final long deadlineNanos;
        private final Duration budget;
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private final AtomicReference<ModelCallException> stop = new AtomicReference<>();

        BatchGuard(long deadlineNanos, Duration budget) {
            this.deadlineNanos = deadlineNanos;
            this.budget = budget;
        }

        ModelClient timed(ModelClient delegate) {
            return request -> {
                if (clock.nanoTime() - deadlineNanos >= 0) {
                    timedOut.set(true);
                    throw new ModelCallException(Kind.CANCELLED, 0, "the batch's time budget of "
                            + budget.toMillis() + " ms ran out before this call to model " + request.modelId());
                }
                return delegate.chat(request);
            };
        }

        ModelClient stopping(ModelClient delegate) {
            return request -> {
                ModelCallException earlier = stop.get();
                if (earlier != null) {
                    throw new ModelCallException(Kind.CANCELLED, 0, "model " + request.modelId() + " was not"
                            + " called because an earlier call of the batch failed with " + earlier.kind());
                }
                return call(delegate, request);
            };
        }

        private ChatResponse call(ModelClient delegate, ChatRequest request) {
            try {
                return delegate.chat(request);
            } catch (ModelCallException e) {
                if (failsBatch(e)) {
                    stop.compareAndSet(null, e);
                }
                throw e;
            }
        }

        private boolean failsBatch(ModelCallException e) {
            return e.kind() == Kind.THROTTLED || e.kind() == Kind.MODEL_NOT_READY || timedOut.get()
                    || e.statusCode() == 403 || e.statusCode() == 404;
        }

        void throwIfStopped(String modelId, int rows) {
            ModelCallException failure = stop.get();
            if (failure == null) {
                return;
            }
            if (timedOut.get()) {
                throw new ModelBatchIncomplete("the batch of " + rows + " rows did not finish within its time budget"
                        + " of " + budget.toMillis() + " ms for model " + modelId + "; lower the batch size (batchSize"
                        + " for inline runs, MaxItemsPerBatch for S3 runs) or raise the function's timeout", failure);
            }
            if (failure.statusCode() == 403 || failure.statusCode() == 404) {
                throw new IllegalStateException("Bedrock rejected the batch's calls to model " + modelId + " with HTTP "
                        + failure.statusCode() + "; check that the model id exists in this Region and that the"
                        + " function's role may call bedrock:InvokeModel on it: " + failure.getMessage(), failure);
            }
            throw new ModelBatchIncomplete("model " + modelId + " stayed " + (failure.kind() == Kind.THROTTLED
                    ? "throttled" : "not ready") + " beyond the retries, so the batch of " + rows + " rows is"
                    + " incomplete; a later attempt may succeed, or raise the model's quota: " + failure.getMessage(),
                    failure);
        }
    }
}
