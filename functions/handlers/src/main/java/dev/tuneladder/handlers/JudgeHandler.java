package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.bedrock.BedrockConverseModelClient;
import dev.tuneladder.core.judging.JudgeItem;
import dev.tuneladder.core.judging.JudgeModel;
import dev.tuneladder.core.judging.JudgeVerdict;
import dev.tuneladder.core.judging.Rubric;
import dev.tuneladder.core.judging.RubricJudge;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.resilience.ResilientModelClient;
import dev.tuneladder.core.planner.PromptTemplate;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/judgments}: judges one answer now against the rubric in the request, with the rubric judge of the
 * core and a Bedrock Converse model wrapped in retries. A model call that fails after the retries is an error
 * response (429 when it was throttled), not a verdict; a model that answers but gives no valid score twice is a
 * 200 verdict {@code error} with the reason. SnapStart: the constructor builds clients with no open connection,
 * and the jitter source is restore-safe (see {@link Resilience}).
 */
public final class JudgeHandler extends ApiHandler {

    static final String SCHEMA = "judgment-request.json";

    /** The judge's instructions before the rubric; the rubric and output shape follow it. */
    static final PromptTemplate PROMPT = new PromptTemplate("judge", "You grade an answer that a customer-service"
            + " agent gave to a customer's question. Judge only what the answer says, using the reference answer and"
            + " context when they are given. Be strict: an answer with a wrong fact does not pass.");

    private static final Logger LOG = LoggerFactory.getLogger(JudgeHandler.class);

    private final ModelClient client;
    private final String modelId;

    /** Builds the Bedrock client from the environment (see {@link HandlerConfig}). */
    public JudgeHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private JudgeHandler(HandlerConfig config) {
        this(new ResilientModelClient(new BedrockConverseModelClient(config.aws().bedrockRuntime()),
                Resilience.apiCaller()), config.judgeModelId(), new RequestSchemas());
    }

    /**
     * @param client the judge model's client, already wrapped in retries
     */
    JudgeHandler(ModelClient client, String modelId, RequestSchemas schemas) {
        super(schemas);
        this.client = Objects.requireNonNull(client, "client");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
    }

    @Override
    String function() {
        return "judge";
    }

    @Override
    String requestSchema() {
        return SCHEMA;
    }

    @Override
    JsonNode handle(APIGatewayProxyRequestEvent event, JsonNode body) {
        Rubric rubric = rubric(body.get("rubric"));
        JudgeItem item = new JudgeItem(body.get("itemId").asText(), body.get("question").asText(),
                body.get("answer").asText(), text(body, "reference"), text(body, "context"));
        FailureRecorder recorder = new FailureRecorder(client);
        JudgeVerdict verdict = new RubricJudge(rubric.name(), new JudgeModel(recorder, modelId, null), PROMPT, rubric)
                .judge(item);
        if (recorder.lastFailure != null) {
            // The judge turns a failed call into an error verdict; the API reports it as the failure it was.
            throw recorder.lastFailure;
        }
        LOG.info("judged: verdict={} latencyMillis={}", verdict.verdict(), verdict.latencyMillis());

        ObjectNode response = MAPPER.createObjectNode();
        response.put("itemId", verdict.itemId());
        response.put("judge", verdict.judge());
        response.put("verdict", verdict.verdict());
        response.putPOJO("score", verdict.score());
        response.putPOJO("passed", verdict.passed());
        response.putPOJO("threshold", verdict.threshold());
        response.put("reason", verdict.reason());
        response.put("promptVersion", verdict.promptVersion());
        response.put("modelId", verdict.modelId());
        response.put("error", verdict.error());
        response.putPOJO("latencyMillis", verdict.latencyMillis());
        return response;
    }

    private static Rubric rubric(JsonNode node) {
        try {
            return new Rubric(node.get("name").asText(), node.get("criteria").asText(),
                    node.get("minScore").asDouble(), node.get("maxScore").asDouble(),
                    node.get("passThreshold").asDouble(), node.path("wholeNumbers").asBoolean(true));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("rubric", "request body field 'rubric' is invalid: " + e.getMessage()
                    + ". Fix: give minScore < maxScore and a passThreshold between them.");
        }
    }

    private static String text(JsonNode body, String field) {
        return body.hasNonNull(field) ? body.get(field).asText() : null;
    }

    /** Passes calls through and keeps the last failure, which the judge would otherwise fold into its verdict. */
    private static final class FailureRecorder implements ModelClient {

        private final ModelClient delegate;
        private ModelCallException lastFailure;

        FailureRecorder(ModelClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            try {
                return delegate.chat(request);
            } catch (ModelCallException e) {
                lastFailure = e;
                throw e;
            }
        }
    }
}
