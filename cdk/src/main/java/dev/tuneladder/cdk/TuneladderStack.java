package dev.tuneladder.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The whole tuneladder deployment in one stack: storage, vector index, functions, state machines, API, and the
 * roles that SageMaker and Bedrock assume.
 */
public final class TuneladderStack extends Stack {

    /** Path of the handlers jar relative to the repository root; {@code mvn package} of functions/handlers makes it. */
    public static final String HANDLERS_JAR = "functions/handlers/target/tuneladder-handlers-0.1.0-SNAPSHOT.jar";

    final StackSettings settings;
    final DataStorage storage;
    final Functions functions;
    final VectorStore vectorStore;
    final TrainingSource trainingSource;
    final TrainingRoles trainingRoles;
    final StateMachines stateMachines;
    final Api api;
    final Topic alarms;

    /**
     * @param repositoryRoot the checkout's root folder: the stack reads the handlers jar, the state machine
     *     definitions, the training script, the API schemas and the mapping templates from it, and writes the
     *     training source archive under {@value TrainingSource#ARCHIVE_FOLDER}
     */
    public TuneladderStack(Construct scope, String id, StackProps props, StackSettings settings,
            Path repositoryRoot) {
        super(scope, id, props);
        this.settings = settings;

        Path jar = repositoryRoot.resolve(HANDLERS_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("handlers jar " + jar.toAbsolutePath() + " does not exist; build it"
                    + " first with: mvn -B -ntp -pl functions/handlers -am install -DskipTests");
        }

        storage = new DataStorage(this, "Storage", settings);
        alarms = alarmTopic(settings);
        functions = new Functions(this, "Functions", settings, Code.fromAsset(jar.toString()), storage);

        vectorStore = new VectorStore(this, "VectorIndex", settings, storage.key,
                List.of(functions.role(HandlerFunction.FEWSHOT_SEARCH)),
                List.of(functions.role(HandlerFunction.FEWSHOT_UPSERT)));
        for (HandlerFunction spec : List.of(HandlerFunction.FEWSHOT_SEARCH, HandlerFunction.FEWSHOT_UPSERT)) {
            Function function = functions.function(spec);
            function.addEnvironment(HandlerEnvironment.OPENSEARCH_ENDPOINT, vectorStore.endpoint());
            function.addEnvironment(HandlerEnvironment.OPENSEARCH_SERVICE, vectorStore.signingService());
            function.addEnvironment(HandlerEnvironment.FEWSHOT_INDEXES, String.join(",", settings.fewShotIndexes()));
        }

        trainingSource = new TrainingSource(this, "TrainingSource", repositoryRoot);
        trainingRoles = new TrainingRoles(this, "TrainingRoles", settings, storage, trainingSource);
        stateMachines = new StateMachines(this, "StateMachines", settings,
                repositoryRoot.resolve("statemachines"), functions, storage, trainingRoles, trainingSource, alarms);
        wireRunStatus();

        api = new Api(this, "Api", settings, repositoryRoot, functions, stateMachines, storage.key);

        CfnOutput.Builder.create(this, "ApiUrl").value(api.api.getUrl())
                .description("Base URL of the REST API; paths start with v1/").build();
        CfnOutput.Builder.create(this, "DataBucketName").value(storage.bucket.getBucketName())
                .description("Bucket for datasets (datasets/) and runs (runs/)").build();
        CfnOutput.Builder.create(this, "VectorIndexEndpoint").value(vectorStore.endpoint())
                .description("OpenSearch endpoint of the few-shot indexes").build();
    }

    /** Gives the run-status function the machines' ARNs (built from their names) and DescribeExecution on them. */
    private void wireRunStatus() {
        Function status = functions.function(HandlerFunction.RUN_STATUS);
        status.addEnvironment(HandlerEnvironment.EVALUATION_STATE_MACHINE_ARN,
                StateMachines.arnFromName(this, StateMachines.EVALUATION));
        status.addEnvironment(HandlerEnvironment.FINE_TUNING_STATE_MACHINE_ARN,
                StateMachines.arnFromName(this, StateMachines.FINE_TUNING));
        status.addEnvironment(HandlerEnvironment.SAMPLING_STATE_MACHINE_ARN,
                StateMachines.arnFromName(this, StateMachines.SAMPLING));
        functions.role(HandlerFunction.RUN_STATUS).addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("states:DescribeExecution"))
                .resources(List.of(
                        StateMachines.executionArns(this, StateMachines.EVALUATION),
                        StateMachines.executionArns(this, StateMachines.FINE_TUNING),
                        StateMachines.executionArns(this, StateMachines.SAMPLING)))
                .build());
    }

    /** Creates the topic that the failed-execution alarms publish to, encrypted with the stack's key. */
    private Topic alarmTopic(StackSettings settings) {
        Topic topic = Topic.Builder.create(this, "Alarms")
                .displayName("tuneladder alarms")
                .masterKey(storage.key)
                .enforceSsl(true)
                .build();
        // CloudWatch alarms publish to an encrypted topic only when the key lets CloudWatch use it.
        storage.key.addToResourcePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        if (settings.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }
        return topic;
    }
}
