package dev.tuneladder.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.AwsIntegration;
import software.amazon.awscdk.services.apigateway.CfnModel;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.IModel;
import software.amazon.awscdk.services.apigateway.Integration;
import software.amazon.awscdk.services.apigateway.IntegrationOptions;
import software.amazon.awscdk.services.apigateway.IntegrationResponse;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.MethodResponse;
import software.amazon.awscdk.services.apigateway.Model;
import software.amazon.awscdk.services.apigateway.PassthroughBehavior;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RequestValidatorOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.amazon.awscdk.services.apigateway.UsagePlanProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * The REST API: IAM (SigV4) authorization on every method, one request validator with a model per request schema,
 * stage throttling and a usage plan. Synchronous routes are Lambda proxy integrations to the function aliases. The
 * long-work routes are an AWS service integration that calls Step Functions StartExecution.
 *
 * <p>The routes {@code POST /v1/prompt-optimizations} and {@code POST /v1/trajectory-tunings} of the API contract
 * are not deployed, because no state machine for them exists yet.
 */
final class Api extends Construct {

    /** Stage name; the contract's paths already carry the version, {@code /v1/...}. */
    static final String STAGE = "prod";
    /** The placeholder in the StartExecution request template that each route replaces with its machine's ARN. */
    static final String STATE_MACHINE_PLACEHOLDER = "${StateMachineArn}";
    static final String JSON = "application/json";

    final RestApi api;
    private final ApiModels models;
    private final RequestValidator validator;
    private final Role startExecutionRole;
    private final Path templates;
    private final Map<String, IModel> modelsByFile = new LinkedHashMap<>();

    /** @param logKey the KMS key that encrypts the access log group */
    Api(Construct scope, String id, StackSettings settings, Path repositoryRoot, Functions functions,
            StateMachines machines, Key logKey) {
        super(scope, id);
        this.models = new ApiModels(repositoryRoot.resolve("api/schemas"));
        this.templates = repositoryRoot.resolve("api/integration");

        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(Functions.retention(settings.logRetentionDays()))
                .encryptionKey(logKey)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // Execution logs at ERROR and no data trace: request and response bodies carry customer text.
        api = RestApi.Builder.create(this, "Api")
                .restApiName(software.amazon.awscdk.Stack.of(this).getStackName())
                .description("tuneladder: evaluations, sampling, judgments, few-shot examples and fine-tuning")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                .cloudWatchRole(settings.apiGatewayCloudWatchRole())
                .cloudWatchRoleRemovalPolicy(RemovalPolicy.RETAIN)
                .defaultMethodOptions(MethodOptions.builder()
                        .authorizationType(AuthorizationType.IAM)
                        .build())
                .deployOptions(StageOptions.builder()
                        .stageName(STAGE)
                        .throttlingRateLimit(settings.apiRateLimit())
                        .throttlingBurstLimit(settings.apiBurstLimit())
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .dataTraceEnabled(false)
                        .metricsEnabled(true)
                        .tracingEnabled(true)
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                        .build())
                .build();

        validator = api.addRequestValidator("Validator", RequestValidatorOptions.builder()
                .requestValidatorName("body-and-parameters")
                .validateRequestBody(true)
                .validateRequestParameters(true)
                .build());
        startExecutionRole = Role.Builder.create(this, "StartExecutionRole")
                .assumedBy(new ServicePrincipal("apigateway.amazonaws.com"))
                .description("Lets API Gateway start the tuneladder state machines")
                .build();

        Resource v1 = api.getRoot().addResource("v1");

        Resource evaluations = v1.addResource("evaluations");
        startExecution(evaluations, "evaluation-request.json", machines.evaluation, Map.of());
        lambdaProxy(evaluations.addResource("{runId}"), "GET", functions.alias(HandlerFunction.RUN_STATUS),
                null, Map.of("method.request.path.runId", true));

        Resource splits = v1.addResource("datasets").addResource("{dataset}").addResource("splits");
        startExecution(splits, "split-request.json", machines.sampling, Map.of("method.request.path.dataset", true));
        lambdaProxy(splits.addResource("{runId}"), "GET", functions.alias(HandlerFunction.RUN_STATUS), null,
                Map.of("method.request.path.dataset", true, "method.request.path.runId", true));

        Resource fineTuningJobs = v1.addResource("fine-tuning-jobs");
        startExecution(fineTuningJobs, "fine-tuning-request.json", machines.fineTuning, Map.of());
        lambdaProxy(fineTuningJobs.addResource("{runId}"), "GET", functions.alias(HandlerFunction.RUN_STATUS),
                null, Map.of("method.request.path.runId", true));

        lambdaProxy(v1.addResource("judgments"), "POST", functions.alias(HandlerFunction.JUDGE),
                "judgment-request.json", Map.of());

        Resource fewShotIndex = v1.addResource("fewshot").addResource("{index}");
        lambdaProxy(fewShotIndex.addResource("examples"), "POST", functions.alias(HandlerFunction.FEWSHOT_UPSERT),
                "fewshot-upsert-request.json", Map.of("method.request.path.index", true));
        lambdaProxy(fewShotIndex.addResource("search"), "POST", functions.alias(HandlerFunction.FEWSHOT_SEARCH),
                "fewshot-search-request.json", Map.of("method.request.path.index", true));

        String gatewayError = template("gateway-error.vtl");
        for (ResponseType type : List.of(ResponseType.BAD_REQUEST_BODY, ResponseType.BAD_REQUEST_PARAMETERS,
                ResponseType.ACCESS_DENIED, ResponseType.THROTTLED, ResponseType.DEFAULT_4_XX,
                ResponseType.DEFAULT_5_XX)) {
            api.addGatewayResponse("GatewayResponse" + type.getResponseType(), GatewayResponseOptions.builder()
                    .type(type)
                    .templates(Map.of(JSON, gatewayError))
                    .build());
        }

        // NOTE: usage plan limits apply only to requests that carry an API key of the plan. No method requires
        // one (callers authenticate with SigV4), so the stage throttling above is what limits every caller.
        api.addUsagePlan("UsagePlan", UsagePlanProps.builder()
                .name(software.amazon.awscdk.Stack.of(this).getStackName() + "-default")
                .description("Throttling and a daily quota for callers that send an API key")
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.apiRateLimit())
                        .burstLimit(settings.apiBurstLimit())
                        .build())
                .quota(QuotaSettings.builder().limit(100_000).period(Period.DAY).build())
                .apiStages(List.of(UsagePlanPerApiStage.builder()
                        .api(api)
                        .stage(api.getDeploymentStage())
                        .build()))
                .build());
    }

    private void lambdaProxy(Resource resource, String httpMethod,
            software.amazon.awscdk.services.lambda.IFunction function, String schemaFile,
            Map<String, Boolean> parameters) {
        MethodOptions.Builder options = MethodOptions.builder()
                .requestValidator(validator)
                .requestParameters(parameters);
        if (schemaFile != null) {
            options.requestModels(Map.of(JSON, model(schemaFile)));
        }
        resource.addMethod(httpMethod, new LambdaIntegration(function), options.build());
    }

    private void startExecution(Resource resource, String schemaFile, StateMachine machine,
            Map<String, Boolean> pathParameters) {
        machine.grantStartExecution(startExecutionRole);
        String request = template("start-execution.request.vtl")
                .replace(STATE_MACHINE_PLACEHOLDER, machine.getStateMachineArn());

        // The client-error template overrides the status for some errors (202 for a retried POST, 429, 500, 503),
        // hence more method responses than integration responses.
        Integration integration = AwsIntegration.Builder.create()
                .service("states")
                .action("StartExecution")
                .integrationHttpMethod("POST")
                .options(IntegrationOptions.builder()
                        .credentialsRole(startExecutionRole)
                        .passthroughBehavior(PassthroughBehavior.NEVER)
                        .requestTemplates(Map.of(JSON, request))
                        .integrationResponses(List.of(
                                IntegrationResponse.builder()
                                        .statusCode("202")
                                        .responseTemplates(Map.of(JSON, template("start-execution.response.vtl")))
                                        .build(),
                                IntegrationResponse.builder()
                                        .selectionPattern("4\\d{2}")
                                        .statusCode("400")
                                        .responseTemplates(Map.of(JSON,
                                                template("start-execution.client-error.vtl")))
                                        .build(),
                                IntegrationResponse.builder()
                                        .selectionPattern("5\\d{2}")
                                        .statusCode("502")
                                        .responseTemplates(Map.of(JSON,
                                                template("start-execution.server-error.vtl")))
                                        .build()))
                        .build())
                .build();

        Map<String, Boolean> parameters = new LinkedHashMap<>(pathParameters);
        parameters.put("method.request.header.Idempotency-Key", false);
        resource.addMethod("POST", integration, MethodOptions.builder()
                .requestValidator(validator)
                .requestParameters(parameters)
                .requestModels(Map.of(JSON, model(schemaFile)))
                .methodResponses(Stream.of("202", "400", "429", "500", "502", "503")
                        .map(status -> MethodResponse.builder().statusCode(status).build())
                        .toList())
                .build());
    }

    private IModel model(String schemaFile) {
        return modelsByFile.computeIfAbsent(schemaFile, file -> {
            String name = models.modelName(file);
            CfnModel model = CfnModel.Builder.create(this, name + "Model")
                    .restApiId(api.getRestApiId())
                    .name(name)
                    .contentType(JSON)
                    .description("Request body of the API contract, from api/schemas/" + file)
                    .schema(models.inlined(file))
                    .build();
            // Ref of a model is its name; referring to it also orders the method after the model.
            return Model.fromModelName(this, name + "ModelRef", model.getRef());
        });
    }

    private String template(String fileName) {
        Path file = templates.resolve(fileName);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API Gateway mapping template " + file.toAbsolutePath()
                    + "; it belongs to the API contract in api/integration/", e);
        }
    }
}
